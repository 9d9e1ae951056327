package io.rge.core.qwen25vl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A checkpoint folder being written: its files go into a temporary folder next to the target, which
 * {@link #commit()} renames into place in one step, so a crash never leaves a half-written
 * checkpoint under the target's name. Closing without a commit deletes what was written.
 *
 * <pre>{@code
 * try (StagedFolder staged = StagedFolder.create(dir)) {
 *   Files.writeString(staged.path().resolve("state.json"), state);
 *   staged.commit();
 * }
 * }</pre>
 *
 * <p>The target must not exist or be an empty folder: an existing checkpoint is never replaced.
 */
public final class StagedFolder implements AutoCloseable {
  private final Path target;
  private final Path temp;
  private boolean committed;

  private StagedFolder(Path target, Path temp) {
    this.target = target;
    this.temp = temp;
  }

  /**
   * Creates the temporary folder {@code .NAME.tmp-*} beside {@code dir}.
   *
   * @throws CheckpointException when {@code dir} is a file or a folder that is not empty
   */
  public static StagedFolder create(Path dir) throws IOException {
    Path target = dir.toAbsolutePath();
    requireWritableTarget(target);
    Files.createDirectories(target.getParent());
    Path temp = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".tmp-");
    return new StagedFolder(target, temp);
  }

  /** The temporary folder to write into. */
  public Path path() {
    return temp;
  }

  /** Renames the temporary folder to the target in one atomic move. */
  public void commit() throws IOException {
    requireWritableTarget(target);
    Files.deleteIfExists(target); // only an empty folder can be here
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    committed = true;
  }

  /** Deletes the temporary folder unless it was committed. */
  @Override
  public void close() throws IOException {
    if (!committed) {
      deleteRecursively(temp);
    }
  }

  private static void requireWritableTarget(Path target) throws IOException {
    if (!Files.exists(target)) {
      return;
    }
    if (!Files.isDirectory(target)) {
      throw new CheckpointException(
          target + ": exists and is not a folder; refusing to replace it");
    }
    try (Stream<Path> entries = Files.list(target)) {
      if (entries.findAny().isPresent()) {
        throw new CheckpointException(
            target + ": folder is not empty; refusing to overwrite an existing checkpoint");
      }
    }
  }

  private static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
