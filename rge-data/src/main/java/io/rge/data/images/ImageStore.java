package io.rge.data.images;

import java.awt.image.BufferedImage;

/**
 * Images addressed by the relative paths MMEB parquet files carry (e.g. {@code
 * "ImageNet-1K/n01440764_1.JPEG"}). Paths are normalised by {@link ImagePaths#normalise} first, so
 * a path that escapes the root ({@code ..}, absolute, backslashes) is rejected with {@link
 * UnsafeImagePathException} rather than looked up. Implementations are safe for concurrent {@code
 * contains} and {@code load} calls.
 */
public interface ImageStore extends AutoCloseable {

  /** Whether the store holds an image file at {@code relPath}; reads no pixel data. */
  boolean contains(String relPath);

  /**
   * Decodes the image at {@code relPath}.
   *
   * @throws ImageNotFoundException when there is no such entry
   * @throws ImageTooLargeException when the header's width x height exceeds the store's pixel limit
   *     (checked before decoding)
   * @throws ImageDecodeException when the bytes are not a decodable image
   */
  BufferedImage load(String relPath);

  /** Where the images come from, for messages (e.g. "zip /data/images.zip"). */
  String describe();

  @Override
  void close();
}
