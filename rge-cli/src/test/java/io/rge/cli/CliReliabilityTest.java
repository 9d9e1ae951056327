package io.rge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rge.core.safetensors.SafetensorsFile;
import io.rge.core.safetensors.SafetensorsWriter;
import io.rge.eval.TestData;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reliability drill (issue 19): hostile and unlucky inputs given to the real commands. Each
 * case must end with the contract's answer: exit 1 (2 for a usage error) and one line {@code error:
 * …} that names the file (and the field, key or row) at fault, without an exception's class name or
 * a parser's multi-line excerpt, and without changing any input (hashed before and after).
 */
class CliReliabilityTest {
  private static final Duration HANG = Duration.ofMinutes(2);

  @TempDir static Path dir;

  private static Path model;
  private static Path mmeb;
  private static Path image;

  /** One drill case: what to run, what it reads, and what the answer must say. */
  record Case(String name, int code, List<String> args, List<Path> inputs, List<String> mentions) {}

  @BeforeAll
  static void fixtures() throws IOException {
    model = copyFolder(TestData.fixtureModel(), dir.resolve("model"));
    mmeb = TestData.miniMmeb(dir.resolve("MMEB-eval"));
    image = dir.resolve("small.png");
    writePng(image, 56, 56);
  }

  @TestFactory
  Stream<DynamicTest> everyBadInputGetsTheContractsAnswer() throws IOException {
    List<Case> cases = new ArrayList<>();
    cases.addAll(modelCases());
    cases.addAll(imageCases());
    cases.addAll(evalCases());
    cases.addAll(trainCases());
    // A hang guard, not a timing assertion: a regression must fail the drill, not stall the build.
    return cases.stream()
        .map(
            c ->
                DynamicTest.dynamicTest(
                    c.name(), () -> assertTimeoutPreemptively(HANG, () -> check(c))));
  }

  // ---- the model folder: config.json, preprocessor_config.json, tokenizer, safetensors ----

  private List<Case> modelCases() throws IOException {
    List<Case> cases = new ArrayList<>();
    cases.add(
        embed(
            "config.json asks for 100,000,000 layers",
            editedModel(
                "layers-1e8",
                "config.json",
                s -> s.replace("\"num_hidden_layers\": 3", "\"num_hidden_layers\": 100000000")),
            "config.json",
            "num_hidden_layers"));
    cases.add(
        embed(
            "config.json asks for 1,000,000 layers",
            editedModel(
                "layers-1e6",
                "config.json",
                s -> s.replace("\"num_hidden_layers\": 3", "\"num_hidden_layers\": 1000000")),
            "config.json",
            "num_hidden_layers"));
    cases.add(
        embed(
            "config.json asks for 100,000 vision blocks",
            editedModel(
                "depth-1e5", "config.json", s -> s.replace("\"depth\": 4", "\"depth\": 100000")),
            "config.json",
            "depth"));
    cases.add(
        embed(
            "tokenizer.json puts <emb> at id 20,000,000 (vocab_size 512)",
            editedModel(
                "emb-2e7",
                "tokenizer.json",
                s ->
                    s.replace(
                        "\"id\": 428,\n      \"content\": \"<emb>\"",
                        "\"id\": 20000000,\n      \"content\": \"<emb>\"")),
            "tokenizer.json",
            "'<emb>'",
            "20000000",
            "vocab_size 512"));
    cases.add(
        embed(
            "malformed config.json",
            editedModel(
                "bad-json",
                "config.json",
                s -> s.replace("\"hidden_act\": \"silu\",", "\"hidden_act\" \"silu\",")),
            "config.json",
            "config.json:6:"));
    cases.add(
        embed(
            "malformed tokenizer.json",
            editedModel("bad-tokenizer", "tokenizer.json", s -> "{\"version\": \"1.0\", ]"),
            "tokenizer.json:1:"));
    cases.add(
        embed(
            "preprocessor_config.json longest_edge 1e12",
            editedModel(
                "longest-edge",
                "preprocessor_config.json",
                s -> s.replace("\"longest_edge\": 1003520", "\"longest_edge\": 1000000000000")),
            "preprocessor_config.json",
            "longest_edge"));
    cases.add(
        embed(
            "preprocessor_config.json patch_size 15 against the model's 14",
            editedModel(
                "patch-15",
                "preprocessor_config.json",
                s -> s.replace("\"patch_size\": 14", "\"patch_size\": 15")),
            "preprocessor_config.json",
            "patch_size",
            "config.json",
            "vision_config.patch_size"));
    cases.add(
        embed(
            "a NaN in the weights",
            weightsEdited(
                "nan",
                (name, values) -> {
                  if (name.equals("model.norm.weight")) {
                    values[1] = Float.NaN;
                  }
                },
                0),
            "model.safetensors",
            "model.norm.weight"));
    cases.add(
        embed(
            "3000 unexpected tensors",
            weightsEdited("extra", (name, values) -> {}, 3000),
            "extra",
            "and 2,990 more"));
    cases.add(
        embed(
            "a safetensors header claiming 2^60 bytes",
            hostileHeader("hostile-header"),
            "model.safetensors"));
    cases.add(embed("only a pickle checkpoint", pickleOnly("pickle"), "pytorch_model.bin"));
    cases.add(
        embed(
            "a checkpoint cut off mid-write (a kill without the atomic rename)",
            truncatedWeights("killed"),
            "model.safetensors"));
    cases.add(
        embed("a shard index pointing outside the folder", outsideShard("outside"), "index.json"));
    cases.add(
        embed(
            "a malformed shard index",
            shardIndex("bad-index", "{\"weight_map\": {\"a\": }"),
            "model.safetensors.index.json:1:"));
    cases.add(
        new Case(
            "a model folder that does not exist",
            1,
            List.of("embed", "--model", dir.resolve("nowhere").toString(), "--text", "x"),
            List.of(),
            List.of("nowhere", "tokenizer.json")));
    Path run = dir.resolve("a-run");
    for (String step : List.of("step-00000010", "step-00000020")) {
      Path checkpoint = Files.createDirectories(run.resolve("checkpoints").resolve(step));
      Files.writeString(checkpoint.resolve("config.json"), "{}");
    }
    cases.add(
        new Case(
            "a training run folder instead of one of its checkpoints",
            1,
            List.of("embed", "--model", run.toString(), "--text", "x"),
            List.of(),
            List.of(
                "training run folder",
                "step-00000010, step-00000020",
                run.resolve("checkpoints/step-00000020").toString())));
    return cases;
  }

  // ---- images: bombs, giants, corrupt files ----

  private List<Case> imageCases() throws IOException {
    Path bomb = dir.resolve("bomb.png");
    Files.write(bomb, png(100_000, 100_000, false));
    Path giant = dir.resolve("giant.png");
    Files.write(giant, png(9000, 9000, true));
    Path corrupt = dir.resolve("corrupt.png");
    byte[] cut = png(64, 64, true);
    Files.write(corrupt, Arrays.copyOf(cut, 40));
    return List.of(
        embedImage("a PNG header claiming 10^10 pixels", bomb, List.of(), "bomb.png", "limit"),
        embedImage(
            "a 9000 x 9000 PNG over --max-image-pixels",
            giant,
            List.of("--max-image-pixels", "1000000"),
            "giant.png",
            "1000000"),
        embedImage("a truncated PNG", corrupt, List.of(), "corrupt.png"));
  }

  private static Case embedImage(String name, Path file, List<String> extra, String... mentions) {
    List<String> args = new ArrayList<>(List.of("--text", "<|image_1|> what is this?"));
    args.addAll(List.of("--image", file.toString()));
    args.addAll(extra);
    return onModel(name, "embed", args, List.of(file, model), mentions);
  }

  /** {@code command} on the fixture model, reasoning off, on the CPU; exit 1 expected. */
  private static Case onModel(
      String name, String command, List<String> args, List<Path> inputs, String... mentions) {
    List<String> all = new ArrayList<>(List.of(command, "--model", model.toString()));
    all.addAll(List.of("--reasoning", "off", "--device", "cpu"));
    all.addAll(args);
    return new Case(name, 1, all, inputs, List.of(mentions));
  }

  // ---- evaluation data: parquet files, image archives, options and YAML ----

  private List<Case> evalCases() throws IOException {
    List<Case> cases = new ArrayList<>();
    Path slip = copyMmeb("zip-slip");
    TestData.parquet(
        slip.resolve("ImageNet-1K/test-00000-of-00001.parquet"),
        "SELECT '<|image_1|> q' AS qry_text, '../evil.png' AS qry_img_path, ['a', 'b'] AS tgt_text,"
            + " ['', ''] AS tgt_img_path");
    cases.add(
        eval(
            "zip-slip in an image path",
            slip,
            List.of(),
            "test-00000-of-00001.parquet",
            "row 0",
            "../evil.png"));
    Path empty = copyMmeb("empty-parquet");
    Files.write(empty.resolve("ImageNet-1K/test-00000-of-00001.parquet"), new byte[0]);
    cases.add(
        eval(
            "an empty parquet file",
            empty,
            List.of(),
            "test-00000-of-00001.parquet",
            "empty or not a parquet file"));
    Path columns = copyMmeb("bad-columns");
    TestData.parquet(columns.resolve("ImageNet-1K/test-00000-of-00001.parquet"), "SELECT 1 AS foo");
    cases.add(
        eval(
            "a parquet file without MMEB's columns",
            columns,
            List.of(),
            "test-00000-of-00001.parquet"));
    Path bombs = copyMmeb("zip-bomb");
    TestData.zip(
        bombs.resolve("images.zip"),
        Map.of("eval_images/ImageNet-1K/q0.png", png(100_000, 100_000, false)));
    cases.add(eval("an image bomb inside images.zip", bombs, List.of(), "q0.png", "limit"));
    cases.add(
        eval(
            "--missing-images fail as --help prints it",
            mmeb,
            List.of("--missing-images", "fail"),
            "ImageNet-1K",
            "row 3",
            "q3.png"));
    cases.add(
        eval(
            "--missing-images FAIL in capitals",
            mmeb,
            List.of("--missing-images", "FAIL"),
            "ImageNet-1K",
            "q3.png"));
    cases.add(
        evalConfig(
            "a config path that does not exist",
            "missing-images",
            "images: no-such.zip",
            "images",
            "no-such.zip"));
    cases.add(evalConfig("'.nan' for an integer in YAML", "nan", "max_new_tokens: .nan", ":3:"));
    cases.add(
        evalConfig(
            "an unknown YAML key", "unknown", "max_new_tokenz: 3", ":3:1", "max_new_tokenz"));
    return cases;
  }

  /** {@code eval --config NAME.yaml} whose third line is {@code line}. */
  private static Case evalConfig(String name, String file, String line, String... mentions)
      throws IOException {
    Path yaml = dir.resolve(file + ".yaml");
    Files.writeString(yaml, "model: model\ndata: MMEB-eval\n" + line + "\n");
    List<String> expected = new ArrayList<>(List.of(file + ".yaml"));
    expected.addAll(List.of(mentions));
    return new Case(name, 1, List.of("eval", "--config", yaml.toString()), List.of(yaml), expected);
  }

  private static Case eval(String name, Path data, List<String> extra, String... mentions) {
    List<String> args = new ArrayList<>(List.of("--data", data.toString()));
    args.addAll(List.of("--datasets", "ImageNet-1K", "--no-progress"));
    args.addAll(List.of("--out", dir.resolve("out-" + data.getFileName()).toString()));
    args.addAll(extra);
    return onModel(name, "eval", args, List.of(data, model), mentions);
  }

  private static Path copyMmeb(String name) throws IOException {
    Path copy = dir.resolve(name);
    try (Stream<Path> files = Files.walk(mmeb)) {
      for (Path f : files.toList()) {
        Path target = copy.resolve(mmeb.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target);
        }
      }
    }
    return copy;
  }

  // ---- training: options and config paths ----

  private List<Case> trainCases() throws IOException {
    Path config = dir.resolve("train/train.yaml");
    Files.createDirectories(config.getParent());
    Files.writeString(
        config,
        "model:\n  preset: tiny\ndata:\n  train_root: no-such-data\noptimizer:\n  lr: 1.0e-3\n"
            + "output: run\nbatch_size: 2\nschedule:\n  total_steps: 2\n");
    Path data = dir.resolve("train/data");
    TestData.parquet(
        data.resolve("Sub/original-00000-of-00001.parquet"),
        "SELECT 'q' || i AS qry, '' AS qry_image_path, 'p' AS pos_text, '' AS pos_image_path"
            + " FROM range(4) t(i) ORDER BY i");
    Path rationales = Files.createDirectories(dir.resolve("train/rationales"));
    Files.writeString(
        rationales.resolve("Sub.jsonl"),
        "{\"id\": 0, \"rationale\": \"r\"}\n{\"id\": 1, \"rationale\": }\n");
    Path withRationales = dir.resolve("train/rationales.yaml");
    Files.writeString(
        withRationales,
        Files.readString(config)
            .replace("train_root: no-such-data", "train_root: data\n  rationales: rationales"));
    return List.of(
        new Case(
            "invalid JSON on a rationale line",
            1,
            List.of("train", "--config", withRationales.toString(), "--device", "cpu"),
            List.of(withRationales, data, rationales),
            List.of("Sub.jsonl", "line 2")),
        new Case(
            "train --stop-after -3",
            2,
            List.of("train", "--config", config.toString(), "--stop-after", "-3"),
            List.of(config),
            List.of("--stop-after")),
        new Case(
            "data.train_root that does not exist",
            1,
            List.of("train", "--config", config.toString()),
            List.of(config),
            List.of("train.yaml", "data.train_root", "no-such-data")));
  }

  private static Case embed(String name, Path modelDir, String... mentions) {
    return new Case(
        name,
        1,
        List.of(
            "embed",
            "--model",
            modelDir.toString(),
            "--text",
            "hello",
            "--reasoning",
            "off",
            "--device",
            "cpu"),
        List.of(modelDir),
        List.of(mentions));
  }

  // ---- running and checking ----

  private static void check(Case c) throws IOException {
    Map<Path, String> before = hashes(c.inputs());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Cli.run(
            new RgeCli(),
            new PrintWriter(out),
            new PrintWriter(err),
            c.args().toArray(String[]::new));
    String message = err.toString();
    String firstLine = message.lines().findFirst().orElse("");
    assertEquals(c.code(), code, c.name() + ": " + message);
    assertTrue(firstLine.startsWith("error: "), c.name() + ": " + message);
    if (c.code() == 1) {
      assertEquals(1, message.lines().count(), c.name() + ": one line, got " + message);
    }
    assertTrue(firstLine.length() < 1000, c.name() + ": " + firstLine.length() + " characters");
    for (String mention : c.mentions()) {
      assertTrue(firstLine.contains(mention), c.name() + ": no '" + mention + "' in " + firstLine);
    }
    assertFalse(
        firstLine.matches(".*\\b[A-Z][A-Za-z]+(Exception|Error)\\b.*"),
        c.name() + ": an exception's name reaches the user: " + firstLine);
    assertFalse(firstLine.contains("[Source:"), c.name() + ": " + firstLine);
    assertEquals(before, hashes(c.inputs()), c.name() + ": an input changed");
  }

  private static Map<Path, String> hashes(List<Path> inputs) throws IOException {
    Map<Path, String> hashes = new TreeMap<>();
    for (Path input : inputs) {
      if (!Files.exists(input)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(input)) {
        for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
          hashes.put(f, sha256(Files.readAllBytes(f)));
        }
      }
    }
    return hashes;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- building bad inputs ----

  private static Path copyFolder(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : files.toList()) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    }
    return to;
  }

  private static Path editedModel(String name, String file, UnaryOperator<String> edit)
      throws IOException {
    Path copy = copyFolder(model, dir.resolve(name));
    Path target = copy.resolve(file);
    String text = Files.readString(target);
    String edited = edit.apply(text);
    assertFalse(edited.equals(text), name + ": the edit changed nothing");
    Files.writeString(target, edited);
    return copy;
  }

  private interface TensorEdit {
    void apply(String name, float[] values);
  }

  private static Path weightsEdited(String name, TensorEdit edit, int extraTensors)
      throws IOException {
    Path copy = copyFolder(model, dir.resolve(name));
    SafetensorsWriter writer = new SafetensorsWriter();
    try (SafetensorsFile file = SafetensorsFile.open(model.resolve("model.safetensors"))) {
      for (String tensor : file.names()) {
        float[] values = file.readFloats(tensor);
        edit.apply(tensor, values);
        writer.addFloats(tensor, file.info(tensor).shape(), values);
      }
    }
    for (int i = 0; i < extraTensors; i++) {
      writer.addFloats("extra.tensor_with_a_long_name_" + i, new long[] {1}, new float[] {0});
    }
    Files.delete(copy.resolve("model.safetensors"));
    writer.write(copy.resolve("model.safetensors"));
    return copy;
  }

  private static Path hostileHeader(String name) throws IOException {
    Path copy = copyFolder(model, dir.resolve(name));
    ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 60);
    byte[] bytes = Files.readAllBytes(copy.resolve("model.safetensors"));
    System.arraycopy(length.array(), 0, bytes, 0, 8);
    Files.write(copy.resolve("model.safetensors"), bytes);
    return copy;
  }

  private static Path truncatedWeights(String name) throws IOException {
    Path copy = copyFolder(model, dir.resolve(name));
    byte[] bytes = Files.readAllBytes(copy.resolve("model.safetensors"));
    Files.write(copy.resolve("model.safetensors"), Arrays.copyOf(bytes, bytes.length / 2));
    return copy;
  }

  private static Path pickleOnly(String name) throws IOException {
    Path copy = copyFolder(model, dir.resolve(name));
    Files.delete(copy.resolve("model.safetensors"));
    Files.write(copy.resolve("pytorch_model.bin"), new byte[] {(byte) 0x80, 2, '}', 'q', 0, '.'});
    return copy;
  }

  private static Path outsideShard(String name) throws IOException {
    Path copy =
        shardIndex(
            name,
            "{\"metadata\": {}, \"weight_map\": {\"model.norm.weight\":"
                + " \"../model/model.safetensors\"}}");
    return copy;
  }

  private static Path shardIndex(String name, String index) throws IOException {
    Path copy = copyFolder(model, dir.resolve(name));
    Files.delete(copy.resolve("model.safetensors"));
    Files.writeString(copy.resolve("model.safetensors.index.json"), index);
    return copy;
  }

  /**
   * A grey PNG of any size, written directly (a 9000 x 9000 one is 80 KB): with {@code pixels}
   * false only its header is right, which is all a decoder may read of a bomb.
   */
  static byte[] png(int width, int height, boolean pixels) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    ByteBuffer header = ByteBuffer.allocate(13).putInt(width).putInt(height);
    header.put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0);
    chunk(out, "IHDR", header.array());
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    try (DeflaterOutputStream z = new DeflaterOutputStream(data)) {
      byte[] row = new byte[width + 1];
      for (int y = 0; pixels && y < height; y++) {
        row[1 + y % width] = (byte) y;
        z.write(row);
      }
      if (!pixels) {
        z.write(row, 0, Math.min(row.length, 1024));
      }
    }
    chunk(out, "IDAT", data.toByteArray());
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] body)
      throws IOException {
    out.write(ByteBuffer.allocate(4).putInt(body.length).array());
    byte[] name = type.getBytes(StandardCharsets.US_ASCII);
    out.write(name);
    out.write(body);
    CRC32 crc = new CRC32();
    crc.update(name);
    crc.update(body);
    out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  static void writePng(Path file, int width, int height) throws IOException {
    BufferedImage picture = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y += 7) {
      for (int x = 0; x < width; x += 5) {
        picture.setRGB(x, y, 0x3366cc ^ (x * 31 + y * 17));
      }
    }
    if (!ImageIO.write(picture, "png", file.toFile())) {
      throw new IOException("no PNG writer");
    }
  }
}
