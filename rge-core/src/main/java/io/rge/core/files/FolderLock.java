package io.rge.core.files;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * An exclusive claim on an output folder (a training run, an evaluation cache, rationale or Spark
 * outputs) for as long as it is open: a second process, or a second claim in this one, that wants
 * the same folder fails at once with {@link FolderInUseException} naming the folder and the holder
 * instead of writing beside it.
 *
 * <p>The claim is an operating-system lock ({@link FileChannel#tryLock()}) on the file {@value
 * #FILE_NAME} in the folder, so it ends with its process, however that ends (kill -9 included): a
 * crashed run never leaves a folder locked. The holder writes its pid, host, start time and purpose
 * into the file, for the message of whoever finds the folder taken; the file stays after release
 * (removing it would race with the next holder).
 */
public final class FolderLock implements AutoCloseable {
  /** The lock file's name in a locked folder. */
  public static final String FILE_NAME = ".rge-lock";

  /** Longer holder descriptions are not read: the file is the holder's, not the reader's. */
  private static final int MAX_HOLDER_BYTES = 1024;

  /** The folders this JVM holds (real paths), with their holder descriptions. */
  private static final ConcurrentMap<Path, String> HELD = new ConcurrentHashMap<>();

  private final Path folder;
  private final Path key;
  private final FileChannel channel;
  private final FileLock lock;

  private FolderLock(Path folder, Path key, FileChannel channel, FileLock lock) {
    this.folder = folder;
    this.key = key;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Claims {@code folder} (created if need be) for {@code purpose} (e.g. "rge train").
   *
   * @throws FolderInUseException when another process or another claim in this one holds it
   */
  public static FolderLock acquire(Path folder, String purpose) throws IOException {
    Files.createDirectories(folder);
    Path key = folder.toRealPath();
    // Checked before any channel opens: closing a channel on the lock file would release every
    // lock this JVM holds on it (fcntl locks are per process), the other claim's included.
    String held = HELD.putIfAbsent(key, describeSelf(purpose));
    if (held != null) {
      throw new FolderInUseException(folder, held.strip());
    }
    Path file = folder.resolve(FILE_NAME);
    FileChannel channel = null;
    try {
      channel =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        throw new FolderInUseException(folder, holder(channel));
      }
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(HELD.get(key).getBytes(StandardCharsets.UTF_8)), 0);
      channel.force(false);
      return new FolderLock(folder, key, channel, lock);
    } catch (IOException | RuntimeException e) {
      HELD.remove(key);
      if (channel != null) {
        channel.close();
      }
      if (e instanceof FolderInUseException) {
        throw e;
      }
      throw new IOException("cannot lock " + folder + " (" + file + "): " + e.getMessage(), e);
    }
  }

  public Path folder() {
    return folder;
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
      HELD.remove(key);
    }
  }

  /** What the current holder wrote, or a note when it has not written yet. */
  private static String holder(FileChannel channel) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(MAX_HOLDER_BYTES);
    channel.read(buffer, 0);
    String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).strip();
    return text.isEmpty() ? "a process that is just starting" : text.lines().findFirst().get();
  }

  private static String describeSelf(String purpose) {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "an unknown host";
    }
    return purpose
        + " (pid "
        + ProcessHandle.current().pid()
        + " on "
        + host
        + ", since "
        + Instant.now().truncatedTo(ChronoUnit.SECONDS)
        + ")\n";
  }
}
