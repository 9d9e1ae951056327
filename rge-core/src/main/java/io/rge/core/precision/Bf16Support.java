package io.rge.core.precision;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Whether the PyTorch JNI library DJL loaded maps {@code bfloat16}, known without creating a bf16
 * array (stock DJL 0.36 aborts the JVM on one). {@code scripts/build-djl-jni} writes a marker file,
 * {@code <library>.bf16}, beside the library it builds with the mapping; DJL's bundled library has
 * none.
 *
 * @param library the {@code libdjl_torch.so} the process loaded, if known
 * @param mapped whether the marker is beside it
 */
public record Bf16Support(Optional<Path> library, boolean mapped) {
  /** The JNI library's file name ends so (DJL names it {@code <djl version>-libdjl_torch.so}). */
  static final String LIBRARY_SUFFIX = "libdjl_torch.so";

  static final String MARKER_SUFFIX = ".bf16";

  /** The support of the library this process loaded (the engine must be up; Linux only). */
  public static Bf16Support ofLoadedLibrary() {
    return forLibrary(loadedLibrary(Path.of("/proc/self/maps")).orElse(null));
  }

  /** The support of a given library file: mapped when {@code <library>.bf16} exists. */
  public static Bf16Support forLibrary(Path library) {
    if (library == null) {
      return new Bf16Support(Optional.empty(), false);
    }
    Path marker = library.resolveSibling(library.getFileName() + MARKER_SUFFIX);
    return new Bf16Support(Optional.of(library), Files.isRegularFile(marker));
  }

  /** The first mapped file ending in {@code libdjl_torch.so} in a {@code /proc/PID/maps} file. */
  static Optional<Path> loadedLibrary(Path maps) {
    if (!Files.isReadable(maps)) {
      return Optional.empty();
    }
    try (Stream<String> lines = Files.lines(maps)) {
      return lines
          .map(l -> l.indexOf('/') < 0 ? "" : l.substring(l.indexOf('/')).trim())
          .filter(p -> p.endsWith(LIBRARY_SUFFIX))
          .findFirst()
          .map(Path::of);
    } catch (IOException | java.io.UncheckedIOException e) {
      return Optional.empty();
    }
  }

  /** Why bf16 cannot be used and how to fix it, for error messages. */
  public String unavailableReason() {
    String where =
        library.map(p -> "the PyTorch JNI library DJL loaded (" + p + ")").orElse("DJL's library");
    return "precision bf16 needs a DJL JNI library that maps bfloat16, but "
        + where
        + " has no "
        + MARKER_SUFFIX
        + " marker beside it (stock DJL 0.36 aborts the JVM on a bf16 array); build one with"
        + " scripts/build-djl-jni (README, 'Using a GPU') or choose precision fp16 or fp32";
  }
}
