package io.rge.cli.eval;

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
import io.rge.eval.TestData;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rge eval} and {@code rge embed} through the command line: exit codes and output. */
class EvalCommandsTest {
  @TempDir static Path shared;
  @TempDir Path tmp;

  private static Path data;
  private static final String MODEL = TestData.fixtureModel().toString();

  record Outcome(int code, String out, String err) {}

  @BeforeAll
  static void setUp() throws IOException {
    data = TestData.miniMmeb(shared.resolve("MMEB-eval"));
  }

  private static Outcome rge(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Cli.run(new RgeCli(), new PrintWriter(out), new PrintWriter(err), args);
    return new Outcome(code, out.toString(), err.toString());
  }

  @Test
  void evalWritesTheOutputsAndPrintsTheSummary() throws IOException {
    Path out = tmp.resolve("out");
    Outcome run =
        rge(
            "eval",
            "--model",
            MODEL,
            "--data",
            data.toString(),
            "--datasets",
            "MSCOCO_t2i",
            "--reasoning",
            "off",
            "--out",
            out.toString(),
            "--device",
            "cpu",
            "--batch-size",
            "8",
            "--references",
            Path.of("..", "configs", "reference-paper.yaml").toString(),
            "--no-progress");
    assertEquals(0, run.code(), run.err());
    assertTrue(run.out().startsWith("MMEB: 1 of 36 datasets scored"), run.out());
    assertTrue(run.out().contains("Retrieval"), run.out());
    assertTrue(run.out().contains("(1/12)"), run.out());
    for (String file :
        new String[] {"scores.json", "report.md", "predictions.jsonl", "scores.png"}) {
      assertTrue(Files.isRegularFile(out.resolve(file)), file);
    }
    String report = Files.readString(out.resolve("report.md"));
    assertTrue(
        report.contains("| RGE (paper) | 64.4 | 67.8 | 70.2 | 90.1 | 75.3 | 63.7 | 70.1 |"),
        report);
    assertTrue(
        report.contains(
            "| Non-reasoning baseline (paper) | 59.5 | 59.9 | 66.8 | 88.0 | 70.6 | 58.4 | 65.2 |"),
        report);
    JsonNode scores = new ObjectMapper().readTree(out.resolve("scores.json").toFile());
    assertFalse(scores.get("settings").get("reasoning").asBoolean());
    assertEquals("qwen25vl-tiny", scores.get("model").get("label").asText());

    // The score, recomputed outside the evaluation code: each row's texts and images embedded
    // straight through the model, scored by dot products of the (normalised) vectors.
    int[] predicted = expectedPredictions();
    long correct = java.util.Arrays.stream(predicted).filter(p -> p == 0).count();
    JsonNode coco = scores.get("datasets").get("MSCOCO_t2i");
    assertEquals(predicted.length, coco.get("n").asInt());
    assertEquals(correct, coco.get("correct").asLong());
    assertEquals(100.0 * correct / predicted.length, coco.get("precision_at_1").asDouble(), 1e-9);
    java.util.List<String> lines = Files.readAllLines(out.resolve("predictions.jsonl"));
    assertEquals(predicted.length, lines.size());
    for (int r = 0; r < predicted.length; r++) {
      JsonNode p = new ObjectMapper().readTree(lines.get(r));
      assertEquals(r, p.get("row").asInt());
      assertEquals(predicted[r], p.get("predicted").asInt(), "row " + r);
    }
  }

  /**
   * MSCOCO_t2i of {@link TestData#miniMmeb}: four text queries over images of the zip; per row the
   * candidate with the highest dot product (the first on a tie).
   */
  private static int[] expectedPredictions() throws IOException {
    String cap = "Find me an everyday image that matches the given caption: ";
    String[] queries = {cap + "a red square", cap + "a green field", cap + "twins", cap + "alone"};
    int[][] candidates = {{0, 1, 2, 3}, {1, 2, 0}, {3, 3}, {2}};
    java.util.List<MultimodalInput> pictures = new java.util.ArrayList<>();
    try (ZipFile zip = new ZipFile(data.resolve("images.zip").toFile())) {
      for (int i = 0; i < 4; i++) {
        ZipEntry entry = zip.getEntry("eval_images/MSCOCO_t2i/c" + i + ".png");
        pictures.add(
            new MultimodalInput(
                "<|image_1|> Represent the given image.", ImageIO.read(zip.getInputStream(entry))));
      }
    }
    try (RgeModel model = RgeModel.load(Path.of(MODEL), DeviceChoice.CPU)) {
      java.util.List<float[]> images = model.embedCandidates(pictures, 1);
      int[] predicted = new int[queries.length];
      for (int r = 0; r < queries.length; r++) {
        float[] q = model.embedQuery(MultimodalInput.text(queries[r]), false).vector();
        double best = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < candidates[r].length; k++) {
          float[] c = images.get(candidates[r][k]);
          double dot = 0;
          for (int i = 0; i < q.length; i++) {
            dot += (double) q[i] * c[i];
          }
          if (dot > best + 1e-9) {
            best = dot;
            predicted[r] = k;
          }
        }
      }
      return predicted;
    }
  }

  @Test
  void aConfigFileSuppliesTheSettingsAndOptionsOverrideIt() throws IOException {
    Path config = tmp.resolve("conf/eval.yaml");
    Files.createDirectories(config.getParent());
    Files.writeString(
        config,
        "model: "
            + MODEL
            + "\ndata: "
            + data
            + "\ndatasets: [MSCOCO_t2i]\nreasoning: true\nmax_new_tokens: 64\nout: ../run\n"
            + "label: from-config\ndevice: cpu\n");
    Outcome run =
        rge(
            "eval",
            "--config",
            config.toString(),
            "--set",
            "max_new_tokens=2",
            "--reasoning",
            "off",
            "--no-progress");
    assertEquals(0, run.code(), run.err());
    JsonNode scores = new ObjectMapper().readTree(tmp.resolve("run/scores.json").toFile());
    assertEquals(2, scores.get("settings").get("max_new_tokens").asInt(), "--set applies");
    assertFalse(scores.get("settings").get("reasoning").asBoolean(), "the option wins");
    assertEquals("from-config", scores.get("model").get("label").asText());

    Files.writeString(config, "modle: x\n");
    Outcome typo = rge("eval", "--config", config.toString());
    assertEquals(1, typo.code());
    assertTrue(typo.err().contains("eval.yaml:1:1: unknown key 'modle'"), typo.err());
  }

  @Test
  void usageErrorsExitTwoAndFailuresOne() {
    Outcome noModel = rge("eval", "--data", data.toString());
    assertEquals(2, noModel.code());
    assertTrue(noModel.err().contains("Missing required option: --model"), noModel.err());
    assertTrue(noModel.err().contains("Try 'rge eval --help'."), noModel.err());

    Outcome badSwitch = rge("eval", "--model", MODEL, "--data", "x", "--reasoning", "maybe");
    assertEquals(2, badSwitch.code());
    assertTrue(badSwitch.err().contains("'maybe' is not one of on, off"), badSwitch.err());

    Outcome setAlone = rge("eval", "--model", MODEL, "--data", "x", "--set", "a=1");
    assertEquals(2, setAlone.code());
    assertTrue(setAlone.err().contains("--set needs --config"), setAlone.err());

    Outcome noData = rge("eval", "--model", MODEL, "--data", tmp.resolve("nothing").toString());
    assertEquals(1, noData.code());
    assertTrue(noData.err().startsWith("error: data folder not found"), noData.err());

    Outcome noEmbedText = rge("embed", "--model", MODEL);
    assertEquals(2, noEmbedText.code());
    assertTrue(noEmbedText.err().contains("--text"), noEmbedText.err());
  }

  @Test
  void embedPrintsTheRationaleAndTheVector() {
    Outcome run =
        rge(
            "embed",
            "--model",
            MODEL,
            "--text",
            "Represent the given image with the following question: what is red?",
            "--image",
            TestData.fixtureModel().resolve("image0.png").toString(),
            "--max-new-tokens",
            "2",
            "--values",
            "4",
            "--device",
            "cpu");
    assertEquals(0, run.code(), run.err());
    assertTrue(run.out().startsWith("rationale: "), run.out());
    assertTrue(run.out().contains("(2 tokens; <emb> appended at the limit of 2)"), run.out());
    Matcher vector =
        Pattern.compile("vector:    64 values, norm (\\S+)\\n")
            .matcher(run.out().replace("\r", ""));
    assertTrue(vector.find(), run.out());
    assertEquals(1.0, Double.parseDouble(vector.group(1)), 1e-5, "query vectors are normalised");
    assertTrue(
        Pattern.compile("first:     \\[(-?\\d\\.\\d{6}, ){3}-?\\d\\.\\d{6}, \\.\\.\\.]")
            .matcher(run.out())
            .find(),
        run.out());

    Outcome plain =
        rge("embed", "--model", MODEL, "--text", "hello", "--reasoning", "off", "--device", "cpu");
    assertEquals(0, plain.code(), plain.err());
    assertTrue(plain.out().startsWith("rationale: (reasoning off)"), plain.out());
  }

  @Test
  void aRunThatCanScoreNothingFailsNamingWhatItLookedFor() throws IOException {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    Outcome run = rge("eval", "--model", MODEL, "--data", empty.toString(), "--device", "cpu");
    assertEquals(1, run.code(), run.out());
    assertTrue(
        run.err()
            .startsWith(
                "error: nothing to score in "
                    + empty
                    + ": none of the 36 MMEB datasets asked for is there (looked for"
                    + " <dataset>/test-*.parquet, e.g. ImageNet-1K/test-00000-of-00001.parquet)"),
        run.err());
    assertFalse(Files.exists(Path.of(Evaluate.DEFAULT_OUT, "scores.json")), "nothing written");

    Outcome absent = rge("eval", "--model", MODEL, "--data", data.toString(), "--datasets", "CIRR");
    assertEquals(1, absent.code(), absent.out());
    assertTrue(absent.err().contains("none of the 1 MMEB datasets asked for"), absent.err());
    assertTrue(
        absent.err().endsWith("folders found: ImageNet-1K, MSCOCO_t2i, NotMmeb\n"), absent.err());
  }

  @Test
  void embedKeepsManyVectorsAsJsonAndAsNpyThatNumpyLoads() throws Exception {
    Path image = TestData.fixtureModel().resolve("image0.png");
    Path inputs = tmp.resolve("queries.jsonl");
    Files.copy(image, tmp.resolve("red.png"));
    Files.writeString(
        inputs,
        "{\"text\": \"<|image_1|> what is red?\", \"image\": \"red.png\"}\n\n"
            + "{\"text\": \"a blue square\"}\n"
            + "{\"text\": \"a red circle\", \"image\": null}\n");
    Path json = tmp.resolve("vectors.json");
    Path npy = tmp.resolve("vectors.npy");
    for (Path file : new Path[] {json, npy}) {
      Outcome run =
          rge(
              "embed",
              "--model",
              MODEL,
              "--inputs",
              inputs.toString(),
              "--max-new-tokens",
              "2",
              "--device",
              "cpu",
              "--out",
              file.toString());
      assertEquals(0, run.code(), run.err());
      assertTrue(run.out().contains("wrote " + file + " (3 × 64 float32)"), run.out());
      assertTrue(run.out().startsWith("1: "), run.out());
    }
    JsonNode written = new ObjectMapper().readTree(json.toFile());
    JsonNode rows = written.get("embeddings");
    assertEquals(3, rows.size());
    assertEquals(tmp.resolve("red.png").toString(), rows.get(0).get("image").asText());
    assertTrue(rows.get(1).get("image").isNull());

    // The .npy, parsed by the format's rules (not by the writer's code): the same vectors.
    byte[] bytes = Files.readAllBytes(npy);
    assertEquals((byte) 0x93, bytes[0]);
    assertEquals("NUMPY", new String(bytes, 1, 5, java.nio.charset.StandardCharsets.US_ASCII));
    assertEquals(1, bytes[6]);
    assertEquals(0, bytes[7]);
    int headerLength = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8;
    int dataStart = 10 + headerLength;
    assertEquals(0, dataStart % 64, "data aligned to 64 bytes");
    String header = new String(bytes, 10, headerLength, java.nio.charset.StandardCharsets.US_ASCII);
    assertTrue(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 64), }"));
    assertTrue(header.endsWith("\n"));
    assertEquals(dataStart + 3 * 64 * 4, bytes.length);
    java.nio.FloatBuffer values =
        java.nio.ByteBuffer.wrap(bytes, dataStart, 3 * 64 * 4)
            .order(java.nio.ByteOrder.LITTLE_ENDIAN)
            .asFloatBuffer();
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 64; c++) {
        assertEquals(
            (float) rows.get(r).get("vector").get(c).asDouble(),
            values.get(r * 64 + c),
            "row " + r + " value " + c);
      }
    }
    // And NumPy itself, where this machine has it (the project's CI image does not need Python).
    ProcessBuilder numpy =
        new ProcessBuilder(
                "python3",
                "-c",
                "import numpy, sys; a = numpy.load(sys.argv[1], allow_pickle=False);"
                    + " print(a.dtype, a.shape, a[2].astype('<f4').tobytes().hex())",
                npy.toString())
            .redirectErrorStream(true);
    Process p;
    try {
      p = numpy.start();
    } catch (IOException noPython) {
      return;
    }
    String printed = new String(p.getInputStream().readAllBytes()).strip();
    if (p.waitFor() == 0) {
      StringBuilder row2 = new StringBuilder();
      for (int i = dataStart + 2 * 64 * 4; i < dataStart + 3 * 64 * 4; i++) {
        row2.append(String.format("%02x", bytes[i]));
      }
      assertEquals("float32 (3, 64) " + row2, printed, "numpy.load reads the third row");
    } else {
      assertTrue(printed.contains("No module named"), "python3 failed: " + printed);
    }
  }
}
