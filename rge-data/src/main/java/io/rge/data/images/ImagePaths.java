package io.rge.data.images;

import java.util.ArrayList;
import java.util.List;

/**
 * Normalises the relative image paths rows carry, rejecting any that could leave the image root.
 */
public final class ImagePaths {
  private ImagePaths() {}

  /**
   * {@code path} with empty and {@code .} segments removed, segments joined by single slashes.
   *
   * @throws UnsafeImagePathException when the path is empty, absolute ({@code /x}, {@code C:x}),
   *     contains a backslash, a control character or a {@code ..} segment
   */
  public static String normalise(String path) {
    if (path == null || path.isEmpty()) {
      throw new UnsafeImagePathException(String.valueOf(path), "empty path");
    }
    if (path.indexOf('\\') >= 0) {
      throw new UnsafeImagePathException(path, "contains a backslash");
    }
    for (int i = 0; i < path.length(); i++) {
      if (Character.isISOControl(path.charAt(i))) {
        throw new UnsafeImagePathException(path, "contains a control character");
      }
    }
    if (path.startsWith("/")) {
      throw new UnsafeImagePathException(path, "is absolute");
    }
    if (path.length() >= 2 && path.charAt(1) == ':' && Character.isLetter(path.charAt(0))) {
      throw new UnsafeImagePathException(path, "starts with a drive letter");
    }
    List<String> segments = new ArrayList<>();
    for (String segment : path.split("/")) {
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..")) {
        throw new UnsafeImagePathException(path, "contains a '..' segment");
      }
      segments.add(segment);
    }
    if (segments.isEmpty()) {
      throw new UnsafeImagePathException(path, "names no file");
    }
    return String.join("/", segments);
  }
}
