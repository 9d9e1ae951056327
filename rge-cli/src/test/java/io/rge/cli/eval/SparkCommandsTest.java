package io.rge.cli.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rge.cli.Cli;
import io.rge.cli.RgeCli;
import io.rge.core.DeviceChoice;
import io.rge.core.MultimodalInput;
import io.rge.core.RgeModel;
import io.rge.data.DuckDb;
import io.rge.eval.TestData;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rge spark-embed} and {@code rge spark-eval} on local[2]: the parquet written is read back
 * with DuckDB (not Spark) and compared with the single-machine embedder; spark-eval scores as eval.
 */
class SparkCommandsTest {
  private static final String MODEL = TestData.fixtureModel().toString();
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;

  private static String[] run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Cli.run(new RgeCli(), new PrintWriter(out), new PrintWriter(err), args);
    return new String[] {Integer.toString(code), out.toString(), err.toString()};
  }

  @Test
  void sparkEmbedWritesTheTableWithItsEmbeddingsOnce() throws Exception {
    Path images = tmp.resolve("images");
    Files.createDirectories(images);
    BufferedImage square = new BufferedImage(56, 28, BufferedImage.TYPE_INT_RGB);
    square.setRGB(3, 3, 0xff0000);
    ImageIO.write(square, "png", images.resolve("square.png").toFile());
    Path input = tmp.resolve("in.parquet");
    TestData.parquet(
        input,
        "SELECT * FROM (VALUES (1, 'a square', 'square.png'), (2, 'words only', NULL),"
            + " (3, 'a third row', NULL)) t(id, text, image)");
    Path output = tmp.resolve("out.parquet");
    String[] embed = {
      "spark-embed",
      "--master",
      "local[2]",
      "--input",
      input.toString(),
      "--output",
      output.toString(),
      "--model",
      MODEL,
      "--image-column",
      "image",
      "--image-root",
      images.toString(),
      "--reasoning",
      "off",
      "--batch-size",
      "2",
      "--partitions",
      "2",
      "--device",
      "cpu"
    };
    String[] done = run(embed);
    assertEquals("0", done[0], done[2]);
    assertEquals("wrote 3 rows to " + output, done[1].strip());
    try (Stream<Path> beside = Files.list(tmp)) {
      assertEquals(
          List.of("images", "in.parquet", "out.parquet"),
          beside.map(p -> p.getFileName().toString()).sorted().toList(),
          "no temporary folder is left");
    }

    List<float[]> written = new ArrayList<>();
    try (Connection c = DuckDb.open();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT id, text, embedding FROM read_parquet("
                    + DuckDb.literal(output.resolve("*.parquet"))
                    + ") ORDER BY id")) {
      while (rs.next()) {
        written.add(floats(rs.getArray(3)));
      }
    }
    try (RgeModel model = RgeModel.load(TestData.fixtureModel(), DeviceChoice.CPU)) {
      List<float[]> expected =
          model.embedCandidates(
              List.of(
                  new MultimodalInput(
                      "a square", ImageIO.read(images.resolve("square.png").toFile())),
                  MultimodalInput.text("words only"),
                  MultimodalInput.text("a third row")),
              2);
      assertEquals(3, written.size());
      for (int i = 0; i < 3; i++) {
        assertArrayEquals(expected.get(i), written.get(i), 1e-4f, "row " + (i + 1));
      }
    }

    String[] again = run(embed);
    assertEquals("1", again[0]);
    assertTrue(again[2].contains(output + " exists; remove it"), again[2]);
  }

  @Test
  void sparkEmbedKeepsImagePathsInsideTheImageRoot() throws Exception {
    // Issue 29: '../secret.png' in the image column used to read and embed a file outside
    // --image-root (exit 0); paths under a root now go through the resolver every command uses.
    Path images = Files.createDirectories(tmp.resolve("images"));
    BufferedImage secret = new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB);
    ImageIO.write(secret, "png", tmp.resolve("secret.png").toFile());
    Path input = tmp.resolve("in.parquet");
    TestData.parquet(
        input, "SELECT * FROM (VALUES (1, 'escape', '../secret.png')) t(id, text, image)");
    Path output = tmp.resolve("out.parquet");
    String[] done =
        run(
            "spark-embed",
            "--master",
            "local[1]",
            "--input",
            input.toString(),
            "--output",
            output.toString(),
            "--model",
            MODEL,
            "--image-column",
            "image",
            "--image-root",
            images.toString(),
            "--device",
            "cpu");
    assertEquals("1", done[0], done[1] + done[2]);
    assertTrue(done[2].contains("../secret.png") && done[2].contains("'..' segment"), done[2]);
    assertFalse(Files.exists(output), "nothing written");
  }

  @Test
  void sparkEvalWritesTheEvaluationOutputs() throws IOException {
    // That the numbers are eval's is SparkEvaluationTest's (rge-spark): here, the command's wiring.
    Path data = TestData.miniMmeb(tmp.resolve("MMEB-eval"));
    Path out = tmp.resolve("spark");
    String[] done =
        run(
            "spark-eval",
            "--master",
            "local[2]",
            "--model",
            MODEL,
            "--data",
            data.toString(),
            "--out",
            out.toString(),
            "--batch-size",
            "2",
            "--max-new-tokens",
            "3",
            "--device",
            "cpu",
            "--label",
            "fixture",
            "--no-progress");
    assertEquals("0", done[0], done[2]);
    assertTrue(done[1].startsWith("MMEB: 2 of 36 datasets scored"), done[1]);
    assertTrue(done[1].contains("wrote " + out.resolve("scores.json")), done[1]);
    JsonNode scores = JSON.readTree(out.resolve("scores.json").toFile());
    assertEquals("fixture", scores.get("model").get("label").asText());
    assertEquals(3, scores.get("settings").get("max_new_tokens").asInt());
    assertEquals(2, scores.get("overall").get("present").asInt());
    assertTrue(
        scores.get("provenance").get("device").asText().endsWith("(Spark executors)"),
        scores.get("provenance").toString());
    assertTrue(Files.isRegularFile(out.resolve("report.md")));

    String[] plan = run("spark-eval", "--plan", "--model", MODEL, "--data", data.toString());
    assertEquals("2", plan[0]);
    assertTrue(plan[2].contains("--plan is eval's"), plan[2]);
  }

  private static float[] floats(Array array) throws SQLException {
    Object[] values = (Object[]) array.getArray();
    float[] v = new float[values.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = ((Number) values[i]).floatValue();
    }
    return v;
  }
}
