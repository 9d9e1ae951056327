package io.rge.training.parity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.rge.core.image.ImageGrid;
import io.rge.core.image.ProcessedImage;
import io.rge.core.safetensors.SafetensorsFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A parity fixture: reference tensors named {@code case.tensor} in {@code expected.safetensors} and
 * the optional {@code expected.json} beside it (generated ids, emb positions, gradient norms). The
 * whole file is read into memory when opened (fixtures are small).
 */
final class ParityFixture implements AutoCloseable {
  private final Path tensorsFile;
  private final SafetensorsFile tensors;
  private final JsonNode json;

  private ParityFixture(Path tensorsFile, SafetensorsFile tensors, JsonNode json) {
    this.tensorsFile = tensorsFile;
    this.tensors = tensors;
    this.json = json;
  }

  /**
   * Opens a fixture from either of its files: {@code X.json} or {@code X.safetensors}; the other is
   * the same name with the other extension. The tensors are required, the JSON is optional.
   */
  static ParityFixture open(Path expected) throws IOException {
    String name = expected.getFileName().toString();
    String stem;
    if (name.endsWith(".json")) {
      stem = name.substring(0, name.length() - ".json".length());
    } else if (name.endsWith(".safetensors")) {
      stem = name.substring(0, name.length() - ".safetensors".length());
    } else {
      throw new IllegalArgumentException(
          "--expected " + expected + ": expected a fixture's .json or .safetensors file");
    }
    Path tensorsFile = expected.resolveSibling(stem + ".safetensors");
    Path jsonFile = expected.resolveSibling(stem + ".json");
    if (!Files.isRegularFile(tensorsFile)) {
      throw new NoSuchFileException(
          tensorsFile.toString(), null, "the fixture's reference tensors are missing");
    }
    JsonNode json = MissingNode.getInstance();
    if (Files.isRegularFile(jsonFile)) {
      try {
        json = new ObjectMapper().readTree(jsonFile.toFile());
      } catch (IOException e) {
        throw new IOException(jsonFile + " is not valid JSON: " + e.getMessage(), e);
      }
    }
    return new ParityFixture(tensorsFile, SafetensorsFile.open(tensorsFile), json);
  }

  Path tensorsFile() {
    return tensorsFile;
  }

  /** Case names (the part before the first dot), sorted. */
  Set<String> cases() {
    Set<String> out = new TreeSet<>();
    for (String n : tensors.names()) {
      int dot = n.indexOf('.');
      if (dot > 0) {
        out.add(n.substring(0, dot));
      }
    }
    return out;
  }

  boolean has(String tensor) {
    return tensors.contains(tensor);
  }

  /** Whether any tensor's name ends with {@code suffix}. */
  boolean hasAnyEndingWith(String suffix) {
    return tensors.names().stream().anyMatch(n -> n.endsWith(suffix));
  }

  long[] shape(String tensor) {
    return tensors.info(tensor).shape();
  }

  float[] floats(String tensor) {
    try {
      return tensors.readFloats(tensor);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  long[] longs(String tensor) {
    try {
      return tensors.readLongs(tensor);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A 2-D integer tensor as int rows. */
  int[][] intRows(String tensor) {
    long[] shape = shape(tensor);
    if (shape.length != 2) {
      throw new IllegalArgumentException(
          tensorsFile
              + ": "
              + tensor
              + " should be 2-D [rows, length], has "
              + shape.length
              + " dims");
    }
    long[] all = longs(tensor);
    int rows = (int) shape[0];
    int cols = (int) shape[1];
    int[][] out = new int[rows][cols];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        out[r][c] = Math.toIntExact(all[r * cols + c]);
      }
    }
    return out;
  }

  /**
   * The images of {@code kase}: {@code pixel_values [patches, width]} split by the rows of {@code
   * image_grid_thw [images, 3]}; empty when the case has none.
   */
  List<ProcessedImage> images(String kase) {
    String pixels = kase + ".pixel_values";
    String grids = kase + ".image_grid_thw";
    if (!has(pixels) || !has(grids)) {
      return List.of();
    }
    long[] pixelShape = shape(pixels);
    if (pixelShape.length != 2) {
      throw new IllegalArgumentException(
          tensorsFile
              + ": "
              + pixels
              + " should be [patches, patch vector], is 1-D or more than 2-D");
    }
    int width = (int) pixelShape[1];
    float[] all = floats(pixels);
    long[] g = longs(grids);
    List<ProcessedImage> out = new ArrayList<>();
    int offset = 0;
    for (int i = 0; i + 2 < g.length; i += 3) {
      ImageGrid grid = new ImageGrid((int) g[i], (int) g[i + 1], (int) g[i + 2]);
      int size = grid.patches() * width;
      if (offset + size > all.length) {
        throw new IllegalArgumentException(
            tensorsFile + ": " + grids + " needs more patches than " + pixels + " holds");
      }
      float[] values = new float[size];
      System.arraycopy(all, offset, values, 0, size);
      out.add(new ProcessedImage(values, grid, width));
      offset += size;
    }
    if (offset != all.length) {
      throw new IllegalArgumentException(
          tensorsFile + ": " + pixels + " holds more patches than " + grids + " describes");
    }
    return out;
  }

  /** {@code expected.json}'s node at the given path, or a missing node. */
  JsonNode json(String... path) {
    JsonNode node = json;
    for (String p : path) {
      node = node.path(p);
    }
    return node;
  }

  @Override
  public void close() throws IOException {
    tensors.close();
  }
}
