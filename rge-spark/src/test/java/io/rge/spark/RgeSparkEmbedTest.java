package io.rge.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rge.core.DeviceChoice;
import io.rge.core.MultimodalInput;
import io.rge.core.QueryEmbedding;
import io.rge.core.RgeModel;
import io.rge.core.generation.GenerationSettings;
import io.rge.eval.TestData;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RgeSpark#embed} in local[2] mode against the single-machine embedder ({@link RgeModel} on
 * the same fixture): the same vectors and rationales, images read from paths or bytes, one model
 * per JVM.
 */
class RgeSparkEmbedTest {
  private static final float TOLERANCE = 1e-4f;
  private static SparkSession spark;
  private static RgeModel model;
  @TempDir static Path tmp;
  private static Path red;
  private static Path blue;

  /** (id, text, image): with and without images, a placeholder, a null text. */
  private static final List<Object[]> ROWS =
      List.of(
          new Object[] {0, "a red square", "red.png"},
          new Object[] {1, "a caption without an image", null},
          new Object[] {2, "<|image_1|> what colour is this", "blue.png"},
          new Object[] {3, null, "red.png"},
          new Object[] {4, "another caption", null});

  @BeforeAll
  static void setUp() throws IOException {
    spark = LocalSpark.get();
    model = RgeModel.load(TestData.fixtureModel(), DeviceChoice.CPU);
    red = write(tmp.resolve("red.png"), Color.RED, 56, 28);
    blue = write(tmp.resolve("blue.png"), Color.BLUE, 28, 56);
  }

  @AfterAll
  static void tearDown() {
    model.close();
  }

  @Test
  void candidatesFromImagePathsMatchTheModel() throws IOException {
    Dataset<Row> table = table(DataTypes.StringType, path -> path);
    Dataset<Row> out =
        RgeSpark.embed(
            table,
            TestData.fixtureModel(),
            SparkEmbedOptions.candidates("text")
                .withImageColumn("image")
                .withImageRoot(tmp.toString())
                .withBatchSize(2)
                .withDevice(DeviceChoice.CPU));
    assertEquals(
        "struct<id:int,text:string,image:string,embedding:array<float>>",
        out.schema().simpleString());
    List<Row> rows = sorted(out.collectAsList());
    List<float[]> expected = model.embedCandidates(inputs(), 2);
    for (int i = 0; i < ROWS.size(); i++) {
      assertArrayEquals(expected.get(i), vector(rows.get(i)), TOLERANCE, "row " + i);
      assertEquals(ROWS.get(i)[1], rows.get(i).getAs("text"), "input columns kept");
    }
    // The image is read: the same text alone embeds differently.
    float[] textOnly = model.embedCandidate(MultimodalInput.text("a red square"));
    assertFalse(Arrays.equals(textOnly, vector(rows.get(0))));
    assertEquals(1, ExecutorModels.loaded(), "one model for both tasks of the job");
  }

  @Test
  void queriesFromImageBytesReasonLikeTheModel() throws IOException {
    Dataset<Row> table = table(DataTypes.BinaryType, RgeSparkEmbedTest::bytes);
    Dataset<Row> out =
        RgeSpark.embed(
            table,
            TestData.fixtureModel(),
            SparkEmbedOptions.queries("text")
                .withImageColumn("image")
                .withBatchSize(2)
                .withMaxNewTokens(3)
                .withDevice(DeviceChoice.CPU));
    assertEquals(
        "struct<id:int,text:string,image:binary,embedding:array<float>,rationale:string>",
        out.schema().simpleString());
    List<Row> rows = sorted(out.collectAsList());
    List<QueryEmbedding> expected =
        model.embedQueries(inputs(), true, GenerationSettings.greedy(3, 2));
    for (int i = 0; i < ROWS.size(); i++) {
      assertEquals(expected.get(i).rationale(), rows.get(i).getAs("rationale"), "row " + i);
      assertArrayEquals(expected.get(i).vector(), vector(rows.get(i)), TOLERANCE, "row " + i);
    }
    assertEquals(1, ExecutorModels.loaded(), "the model of the first job is reused");
  }

  @Test
  void badColumnsFailOnTheDriverAndABadImageNamesItsRow() {
    Dataset<Row> table = table(DataTypes.StringType, path -> path);
    SparkEmbedOptions options = SparkEmbedOptions.candidates("text").withDevice(DeviceChoice.CPU);
    Path fixture = TestData.fixtureModel();
    IllegalArgumentException missing =
        assertThrows(
            IllegalArgumentException.class,
            () -> RgeSpark.embed(table, fixture, options.withImageColumn("picture")));
    assertTrue(
        missing.getMessage().startsWith("image column 'picture' not found"), missing.getMessage());
    IllegalArgumentException type =
        assertThrows(
            IllegalArgumentException.class,
            () -> RgeSpark.embed(table, fixture, SparkEmbedOptions.candidates("id")));
    assertEquals("text column 'id' is int; expected string", type.getMessage());
    Dataset<Row> clash = table.withColumn("embedding", functions.lit(1));
    IllegalArgumentException exists =
        assertThrows(IllegalArgumentException.class, () -> RgeSpark.embed(clash, fixture, options));
    assertTrue(
        exists.getMessage().contains("already has a column 'embedding'"), exists.getMessage());

    Dataset<Row> broken = table(DataTypes.BinaryType, path -> new byte[] {1, 2, 3});
    Exception failed =
        assertThrows(
            Exception.class,
            () ->
                RgeSpark.embed(broken, fixture, options.withImageColumn("image").withBatchSize(8))
                    .collectAsList());
    assertTrue(
        causes(failed).matches("(?s).*partition \\d, row \\d: image 'bytes of column image' .*"),
        causes(failed));
  }

  private static Dataset<Row> table(
      DataType imageType, java.util.function.Function<String, Object> image) {
    List<Row> rows = new ArrayList<>();
    for (Object[] r : ROWS) {
      rows.add(RowFactory.create(r[0], r[1], r[2] == null ? null : image.apply((String) r[2])));
    }
    StructType schema =
        new StructType()
            .add("id", DataTypes.IntegerType, false)
            .add("text", DataTypes.StringType, true)
            .add("image", imageType, true);
    // Two partitions, so that both task slots embed (and share the JVM's model).
    return spark.createDataFrame(rows, schema).repartition(2, functions.col("id"));
  }

  private static List<MultimodalInput> inputs() throws IOException {
    List<MultimodalInput> inputs = new ArrayList<>();
    for (Object[] r : ROWS) {
      BufferedImage image = r[2] == null ? null : ImageIO.read(tmp.resolve((String) r[2]).toFile());
      inputs.add(new MultimodalInput(r[1] == null ? "" : (String) r[1], image));
    }
    return inputs;
  }

  private static List<Row> sorted(List<Row> rows) {
    List<Row> copy = new ArrayList<>(rows);
    copy.sort(Comparator.comparingInt(r -> r.getInt(0)));
    assertEquals(ROWS.size(), copy.size());
    return copy;
  }

  private static float[] vector(Row row) {
    List<Float> values = row.getList(row.fieldIndex("embedding"));
    float[] v = new float[values.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = values.get(i);
    }
    return v;
  }

  private static byte[] bytes(String name) {
    try {
      return Files.readAllBytes(tmp.resolve(name));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String causes(Throwable t) {
    StringBuilder s = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      s.append(c.getMessage()).append('\n');
    }
    return s.toString();
  }

  private static Path write(Path file, Color colour, int width, int height) throws IOException {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(colour);
    g.fillRect(0, 0, width, height);
    g.dispose();
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(image, "png", png);
    return Files.write(file, png.toByteArray());
  }
}
