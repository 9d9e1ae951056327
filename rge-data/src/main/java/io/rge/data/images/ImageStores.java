package io.rge.data.images;

import io.rge.data.RgeDataException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Opens image stores from what users have on disk: a folder, a zip, or a folder of per-subset zips.
 */
public final class ImageStores {
  private ImageStores() {}

  /**
   * A store for one source: a {@code .zip} file, or a folder. A folder that holds no files other
   * than {@code .zip} archives (MMEB-train's {@code images_zip/}) opens as all of those archives
   * together; any other folder is read as extracted images.
   */
  public static ImageStore open(Path source, ImageLimits limits) {
    if (Files.isRegularFile(source)) {
      if (!source.getFileName().toString().toLowerCase().endsWith(".zip")) {
        throw new RgeDataException(
            "image source " + source + " is neither a folder nor a .zip archive");
      }
      return new ZipImageStore(source, limits);
    }
    if (!Files.isDirectory(source)) {
      throw new RgeDataException("image source not found: " + source);
    }
    List<Path> zips = zipsOnly(source);
    if (zips.isEmpty()) {
      return new FolderImageStore(source, limits);
    }
    return openAll(zips, limits);
  }

  /** All sources together, searched in the given order. */
  public static ImageStore openAll(List<Path> sources, ImageLimits limits) {
    List<ImageStore> stores = new ArrayList<>();
    try {
      for (Path source : sources) {
        stores.add(open(source, limits));
      }
    } catch (RuntimeException e) {
      stores.forEach(ImageStore::close);
      throw e;
    }
    return stores.size() == 1 ? stores.get(0) : new CompositeImageStore(stores);
  }

  /**
   * All sources together, as {@link #openAll(List, ImageLimits)}, for rows whose paths carry a
   * leading folder the sources lack ({@link StrippedPrefixImageStore}); {@code prefix} null: none.
   */
  public static ImageStore openAll(List<Path> sources, ImageLimits limits, String prefix) {
    ImageStore store = openAll(sources, limits);
    return prefix == null ? store : new StrippedPrefixImageStore(store, prefix);
  }

  /** The folder's .zip files when it holds nothing else, else empty. */
  private static List<Path> zipsOnly(Path folder) {
    try (Stream<Path> entries = Files.list(folder)) {
      List<Path> all = entries.sorted().toList();
      boolean onlyZips =
          !all.isEmpty()
              && all.stream()
                  .allMatch(
                      p ->
                          Files.isRegularFile(p)
                              && p.getFileName().toString().toLowerCase().endsWith(".zip"));
      return onlyZips ? all : List.of();
    } catch (IOException e) {
      throw new RgeDataException("cannot list " + folder + ": " + e.getMessage(), e);
    }
  }
}
