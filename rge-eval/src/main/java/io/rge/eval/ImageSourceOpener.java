package io.rge.eval;

import io.rge.data.images.FolderImageStore;
import io.rge.data.images.ImageLimits;
import io.rge.data.images.ImageStore;
import io.rge.data.images.ImageStores;
import io.rge.data.images.UnsafeImagePathException;
import io.rge.data.images.ZipImageStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the image source of the data. Archives often wrap everything in one top folder (unzipping
 * MMEB-eval's images gives such a folder); when a sample path from the data is not found at the
 * source's root but is under one of its top-level folders, that folder becomes the root.
 */
final class ImageSourceOpener {
  private static final Logger LOG = LoggerFactory.getLogger(ImageSourceOpener.class);

  private ImageSourceOpener() {}

  /**
   * @param source a zip or folder, or null for none
   * @param sample an image path the data references, or null when no row has one
   * @param limits the pixel limit and resize target images are decoded under
   */
  static ImageStore open(Path source, String sample, ImageLimits limits) {
    if (source == null) {
      return new NoImages();
    }
    ImageStore store = ImageStores.open(source, limits);
    if (sample == null || holds(store, sample)) {
      return store;
    }
    for (String top : topFolders(source)) {
      ImageStore nested =
          Files.isRegularFile(source)
              ? new ZipImageStore(source, top, limits)
              : new FolderImageStore(source.resolve(top), limits);
      if (holds(nested, sample)) {
        LOG.info("images are under {} in {}", top, source);
        store.close();
        return nested;
      }
      nested.close();
    }
    LOG.warn("{} does not hold {} (an image the data references)", store.describe(), sample);
    return store;
  }

  /** Whether the store has the sample; an unsafe path is reported by the planner, with its row. */
  private static boolean holds(ImageStore store, String sample) {
    try {
      return store.contains(sample);
    } catch (UnsafeImagePathException e) {
      return false;
    }
  }

  private static List<String> topFolders(Path source) {
    TreeSet<String> tops = new TreeSet<>();
    try {
      if (Files.isRegularFile(source)) {
        try (ZipFile zip = new ZipFile(source.toFile(), StandardCharsets.UTF_8)) {
          Enumeration<? extends ZipEntry> entries = zip.entries();
          while (entries.hasMoreElements()) {
            String name = entries.nextElement().getName();
            int slash = name.indexOf('/');
            if (slash > 0 && !name.startsWith("..")) {
              tops.add(name.substring(0, slash));
            }
          }
        }
      } else if (Files.isDirectory(source)) {
        try (Stream<Path> entries = Files.list(source)) {
          entries.filter(Files::isDirectory).forEach(p -> tops.add(p.getFileName().toString()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list image source " + source, e);
    }
    return List.copyOf(tops);
  }
}
