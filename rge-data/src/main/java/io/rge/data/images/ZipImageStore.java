package io.rge.data.images;

import io.rge.data.RgeDataException;
import java.awt.image.BufferedImage;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Images inside a zip archive, read in place without extracting. Entries are found by normalised
 * relative path, optionally below a folder inside the archive ({@code innerRoot}, e.g. "images"
 * when the archive wraps everything in one top folder). Entries whose own names would escape the
 * archive ({@code ../x}, {@code /x}) are never reachable.
 */
public final class ZipImageStore implements ImageStore {
  private static final Logger LOG = LoggerFactory.getLogger(ZipImageStore.class);

  private final Path archive;
  private final ZipFile zip;
  private final String innerRoot;
  private final ImageDecoder decoder;
  // Only entries stored under a non-canonical name ("./a//b.png") need a map; the rest go through
  // ZipFile's own index.
  private final Map<String, ZipEntry> aliases = new HashMap<>();
  private final int unsafeEntries;

  public ZipImageStore(Path archive, ImageLimits limits) {
    this(archive, "", limits);
  }

  /**
   * @param innerRoot folder inside the archive that relative paths start from; "" for the archive
   *     root
   * @throws RgeDataException when the archive cannot be opened
   */
  public ZipImageStore(Path archive, String innerRoot, ImageLimits limits) {
    this.archive = archive;
    this.innerRoot = innerRoot.isEmpty() ? "" : ImagePaths.normalise(innerRoot) + "/";
    this.decoder = new ImageDecoder(limits);
    try {
      this.zip = new ZipFile(archive.toFile(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new RgeDataException("cannot open image archive " + archive + ": " + e.getMessage(), e);
    }
    int unsafe = 0;
    Enumeration<? extends ZipEntry> entries = zip.entries();
    while (entries.hasMoreElements()) {
      ZipEntry entry = entries.nextElement();
      if (entry.isDirectory()) {
        continue;
      }
      String normalised;
      try {
        normalised = ImagePaths.normalise(entry.getName());
      } catch (UnsafeImagePathException e) {
        unsafe++;
        continue;
      }
      if (!normalised.equals(entry.getName())) {
        aliases.putIfAbsent(normalised, entry);
      }
    }
    this.unsafeEntries = unsafe;
    if (unsafe > 0) {
      LOG.warn("{}: ignored {} entries whose names escape the archive root", archive, unsafe);
    }
  }

  /**
   * Entries ignored because their names would escape the archive ({@code ..}, absolute, backslash).
   */
  public int unsafeEntries() {
    return unsafeEntries;
  }

  @Override
  public boolean contains(String relPath) {
    return entry(relPath) != null;
  }

  @Override
  public BufferedImage load(String relPath) {
    ZipEntry entry = entry(relPath);
    if (entry == null) {
      throw new ImageNotFoundException(relPath, describe());
    }
    try {
      return decoder.decode(new BufferedInputStream(zip.getInputStream(entry)), relPath);
    } catch (IOException e) {
      throw new ImageDecodeException(
          "cannot read '" + relPath + "' from " + archive + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String describe() {
    return "zip " + archive + (innerRoot.isEmpty() ? "" : " (under " + innerRoot + ")");
  }

  @Override
  public void close() {
    try {
      zip.close();
    } catch (IOException e) {
      throw new RgeDataException("cannot close " + archive + ": " + e.getMessage(), e);
    }
  }

  private ZipEntry entry(String relPath) {
    String name = innerRoot + ImagePaths.normalise(relPath);
    ZipEntry entry = aliases.get(name);
    if (entry == null) {
      entry = zip.getEntry(name);
    }
    return entry == null || entry.isDirectory() ? null : entry;
  }
}
