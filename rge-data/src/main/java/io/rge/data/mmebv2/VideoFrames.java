package io.rge.data.mmebv2;

import io.rge.data.RgeDataException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The frames of one pre-extracted MMEB-V2 video (a folder of up to 64 images, {@code
 * frame_0001.jpg}, ...) and the ones evaluation feeds the model: {@value #EVAL_FRAMES} at {@code
 * linspace(0, n - 1, 8)}, truncated to integers, or all of them when a video has fewer.
 */
public final class VideoFrames {
  /** Frames per video at evaluation, as the reference's video.yaml sets {@code num_frames}. */
  public static final int EVAL_FRAMES = 8;

  private static final Pattern CHUNK = Pattern.compile("\\d+|\\D+");

  /** Names in natural order: digit runs compare as numbers, the rest case-insensitively. */
  static final Comparator<String> NATURAL_ORDER =
      ((Comparator<String>) VideoFrames::compareNatural).thenComparing(Comparator.naturalOrder());

  private VideoFrames() {}

  /**
   * The frame images in {@code dir} ({@code .jpg}, {@code .jpeg}, {@code .png}, any case), in
   * natural name order.
   *
   * @throws RgeDataException when the folder is missing or holds no frame (the reference then feeds
   *     the model no frame at all; here that is an error naming the folder)
   */
  public static List<Path> list(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new RgeDataException("video frame folder not found: " + dir);
    }
    List<Path> frames;
    try (Stream<Path> entries = Files.list(dir)) {
      frames =
          entries
              .filter(Files::isRegularFile)
              .filter(p -> isFrame(p.getFileName().toString()))
              .sorted(Comparator.comparing(p -> p.getFileName().toString(), NATURAL_ORDER))
              .toList();
    } catch (IOException e) {
      throw new RgeDataException("cannot list " + dir + ": " + e.getMessage(), e);
    }
    if (frames.isEmpty()) {
      throw new RgeDataException("no .jpg/.jpeg/.png frame in " + dir);
    }
    return frames;
  }

  /** The {@value #EVAL_FRAMES} evaluation frames of the video in {@code dir}. */
  public static List<Path> sample(Path dir) {
    List<Path> frames = list(dir);
    List<Path> out = new ArrayList<>();
    for (int i : indices(frames.size(), EVAL_FRAMES)) {
      out.add(frames.get(i));
    }
    return out;
  }

  /**
   * Indices {@code floor(i * (available - 1) / (wanted - 1))} for {@code i < wanted} (numpy's
   * {@code linspace(0, available - 1, wanted, dtype=int)}), or {@code 0 .. available - 1} when
   * fewer than {@code wanted} are available.
   */
  public static int[] indices(int available, int wanted) {
    if (available < 1 || wanted < 1) {
      throw new IllegalArgumentException(
          "need at least one frame and one wanted, got " + available + " and " + wanted);
    }
    if (available <= wanted) {
      // Fewer (or exactly as many): all of them, each once.
      int[] all = new int[available];
      for (int i = 0; i < available; i++) {
        all[i] = i;
      }
      return all;
    }
    int[] out = new int[wanted];
    for (int i = 0; i < wanted; i++) {
      // Exact integer floor; with wanted = 8 it equals numpy's float linspace truncated, since
      // i * (n - 1) / 7 is a whole number only when the step itself is.
      out[i] = wanted == 1 ? 0 : (int) ((long) i * (available - 1) / (wanted - 1));
    }
    return out;
  }

  private static boolean isFrame(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.endsWith(".jpg") || lower.endsWith(".jpeg") || lower.endsWith(".png");
  }

  private static int compareNatural(String a, String b) {
    Matcher ma = CHUNK.matcher(a);
    Matcher mb = CHUNK.matcher(b);
    while (true) {
      boolean hasA = ma.find();
      boolean hasB = mb.find();
      if (!hasA || !hasB) {
        return Boolean.compare(hasA, hasB);
      }
      String ca = ma.group();
      String cb = mb.group();
      boolean digitsA = Character.isDigit(ca.charAt(0));
      boolean digitsB = Character.isDigit(cb.charAt(0));
      int c =
          digitsA && digitsB
              ? new BigInteger(ca).compareTo(new BigInteger(cb))
              : ca.toLowerCase(Locale.ROOT).compareTo(cb.toLowerCase(Locale.ROOT));
      if (c != 0) {
        return c;
      }
    }
  }
}
