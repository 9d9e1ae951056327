package io.rge.eval;

import io.rge.data.DuckDb;
import io.rge.testfixtures.TestFixtures;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;

/** Test inputs: the tiny fixture model, MMEB-format parquet written with DuckDB, PNGs in a zip. */
public final class TestData {
  private TestData() {}

  /** The transformers-made tiny Qwen2.5-VL (random weights): the one copy, in rge-test-fixtures. */
  public static Path fixtureModel() {
    return TestFixtures.tinyModel();
  }

  /** Writes {@code select} to a parquet file with DuckDB. */
  public static void parquet(Path file, String select) {
    try {
      Files.createDirectories(file.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String sql =
        "COPY (" + select + ") TO " + DuckDb.literal(file) + " (FORMAT parquet, COMPRESSION zstd)";
    try (Connection c = DuckDb.open();
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  /** One MMEB-eval row as a SELECT: query text and image path, candidate texts and paths. */
  static String row(String qryText, String qryImage, List<String> texts, List<String> images) {
    return "SELECT "
        + quote(qryText)
        + " AS qry_text, "
        + quote(qryImage)
        + " AS qry_img_path, "
        + list(texts)
        + " AS tgt_text, "
        + list(images)
        + " AS tgt_img_path";
  }

  /** Rows in order, as one SELECT. */
  static String rows(List<String> selects) {
    StringBuilder sql =
        new StringBuilder("SELECT qry_text, qry_img_path, tgt_text, tgt_img_path FROM (");
    for (int i = 0; i < selects.size(); i++) {
      sql.append(i == 0 ? "" : " UNION ALL ")
          .append("SELECT *, ")
          .append(i)
          .append(" AS ord FROM (")
          .append(selects.get(i))
          .append(")");
    }
    return sql.append(") ORDER BY ord").toString();
  }

  private static String list(List<String> values) {
    return values.stream().map(TestData::quote).collect(Collectors.joining(", ", "[", "]"));
  }

  private static String quote(String s) {
    return DuckDb.quote(s);
  }

  /** A w x h PNG: a colour with a darker square whose place depends on the colour. */
  static byte[] png(int w, int h, Color colour) {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(colour);
    g.fillRect(0, 0, w, h);
    g.setColor(colour.darker().darker());
    int x = Math.floorMod(colour.getRGB(), Math.max(1, w - 14));
    g.fillRect(x, h / 3, 14, 14);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  public static void zip(Path zip, Map<String, byte[]> entries) throws IOException {
    Files.createDirectories(zip.getParent());
    try (OutputStream file = Files.newOutputStream(zip);
        ZipOutputStream out = new ZipOutputStream(file)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        out.putNextEntry(new ZipEntry(e.getKey()));
        out.write(e.getValue());
        out.closeEntry();
      }
    }
  }

  /**
   * A small MMEB-eval folder: ImageNet-1K (4 image queries, one image missing; 5 text labels per
   * row, rotated so the right one is first) and MSCOCO_t2i (4 text queries over 4 shared images:
   * rows with 4, 3, 2 identical and 1 candidates), a folder that is no MMEB dataset, and images.zip
   * inside the folder with everything under one top folder.
   */
  public static Path miniMmeb(Path root) throws IOException {
    List<String> labels = List.of("red", "green", "blue", "yellow", "black");
    List<String> imagenet = new java.util.ArrayList<>();
    for (int i = 0; i < 4; i++) {
      List<String> rotated = new java.util.ArrayList<>();
      for (int k = 0; k < labels.size(); k++) {
        rotated.add(labels.get((i + k) % labels.size()));
      }
      imagenet.add(
          row(
              "<|image_1|> Represent the given image for classification",
              "ImageNet-1K/q" + i + ".png",
              rotated,
              List.of("", "", "", "", "")));
    }
    parquet(root.resolve("ImageNet-1K/test-00000-of-00001.parquet"), rows(imagenet));
    String img = "<|image_1|> Represent the given image.";
    String cap = "Find me an everyday image that matches the given caption: ";
    parquet(
        root.resolve("MSCOCO_t2i/test-00000-of-00001.parquet"),
        rows(
            List.of(
                row(
                    cap + "a red square",
                    "",
                    List.of(img, img, img, img),
                    List.of(c(0), c(1), c(2), c(3))),
                row(cap + "a green field", "", List.of(img, img, img), List.of(c(1), c(2), c(0))),
                row(cap + "twins", "", List.of(img, img), List.of(c(3), c(3))),
                row(cap + "alone", "", List.of(img), List.of(c(2))))));
    parquet(
        root.resolve("NotMmeb/test-00000-of-00001.parquet"),
        row("q", "", List.of("a"), List.of("")));
    Map<String, byte[]> images = new LinkedHashMap<>();
    Color[] colours = {Color.RED, Color.GREEN, Color.BLUE, Color.ORANGE};
    for (int i = 0; i < 3; i++) {
      images.put("eval_images/ImageNet-1K/q" + i + ".png", png(56, 56, colours[i]));
    }
    for (int i = 0; i < 4; i++) {
      images.put("eval_images/" + c(i), png(28 + 28 * (i % 2), 56, colours[3 - i]));
    }
    zip(root.resolve("images.zip"), images);
    return root;
  }

  private static String c(int i) {
    return "MSCOCO_t2i/c" + i + ".png";
  }
}
