package io.rge.data.images;

import io.rge.data.RgeDataException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Images in an extracted folder; symbolic links that lead outside the folder are refused. */
public final class FolderImageStore implements ImageStore {
  private final Path root;
  private final ImageDecoder decoder;

  /**
   * @throws RgeDataException when {@code root} is not a folder
   */
  public FolderImageStore(Path root, ImageLimits limits) {
    if (!Files.isDirectory(root)) {
      throw new RgeDataException("image folder not found: " + root);
    }
    try {
      this.root = root.toRealPath();
    } catch (IOException e) {
      throw new RgeDataException("cannot resolve image folder " + root + ": " + e.getMessage(), e);
    }
    this.decoder = new ImageDecoder(limits);
  }

  @Override
  public boolean contains(String relPath) {
    return Files.isRegularFile(resolve(relPath));
  }

  @Override
  public BufferedImage load(String relPath) {
    Path file = resolve(relPath);
    try {
      Path real = file.toRealPath();
      if (!real.startsWith(root)) {
        throw new UnsafeImagePathException(relPath, "resolves through a link to " + real);
      }
      return decoder.decode(Files.newInputStream(real), relPath);
    } catch (NoSuchFileException e) {
      throw new ImageNotFoundException(relPath, describe());
    } catch (IOException e) {
      throw new ImageDecodeException("cannot read image " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String describe() {
    return "folder " + root;
  }

  @Override
  public void close() {}

  private Path resolve(String relPath) {
    return root.resolve(ImagePaths.normalise(relPath));
  }
}
