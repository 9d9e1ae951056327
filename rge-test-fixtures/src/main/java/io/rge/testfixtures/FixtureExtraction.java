package io.rge.testfixtures;

import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Makes a folder hold exactly the files of one folder of a jar: a file already equal to the jar's
 * is left alone, a missing or different one is written to a temp file and renamed into place (so a
 * reader never sees half a file), and a file the jar does not hold is deleted.
 */
final class FixtureExtraction {
  private FixtureExtraction() {}

  /**
   * Mirrors {@code folder} of {@code jar} into {@code destination}; returns {@code destination}.
   */
  static Path extract(Path jar, String folder, Path destination) throws IOException {
    Path target = destination.toAbsolutePath().normalize();
    Set<Path> wanted = new HashSet<>();
    Files.createDirectories(target);
    try (FileSystem zip = FileSystems.newFileSystem(jar)) {
      Path source = zip.getPath("/" + folder);
      if (!Files.isDirectory(source)) {
        throw new IOException(jar + ": no folder '" + folder + "'");
      }
      for (Path file : regularFiles(source)) {
        Path out = target.resolve(source.relativize(file).toString()).normalize();
        if (!out.startsWith(target)) {
          throw new IOException(jar + ": entry '" + file + "' points outside " + target);
        }
        wanted.add(out);
        byte[] bytes = Files.readAllBytes(file);
        if (!holds(out, bytes)) {
          write(out, bytes);
        }
      }
    }
    for (Path file : regularFiles(target)) {
      if (!wanted.contains(file)) {
        Files.delete(file);
      }
    }
    return target;
  }

  private static List<Path> regularFiles(Path folder) throws IOException {
    try (Stream<Path> paths = Files.walk(folder)) {
      return new ArrayList<>(paths.filter(Files::isRegularFile).toList());
    }
  }

  private static boolean holds(Path file, byte[] bytes) throws IOException {
    return Files.isRegularFile(file)
        && Files.size(file) == bytes.length
        && Arrays.equals(Files.readAllBytes(file), bytes);
  }

  private static void write(Path file, byte[] bytes) throws IOException {
    Files.createDirectories(file.getParent());
    Path temp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
    try {
      Files.write(temp, bytes);
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
