package io.rge.cli.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rge.data.TestFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DataCommandTest {
  @TempDir Path dir;

  private record Run(int exitCode, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = new CommandLine(new DataCommand());
    commandLine.setOut(new PrintWriter(out));
    commandLine.setErr(new PrintWriter(err));
    int code = commandLine.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void synthThenInspectTheSynthFolder() throws IOException {
    Path out = dir.resolve("synth");
    Run synth =
        run("synth", "--out", out.toString(), "--seed", "2", "--size", "tiny", "--no-progress");
    assertEquals(0, synth.exitCode(), synth.err());
    assertEquals(1, synth.out().lines().count(), synth.out());
    assertTrue(
        synth
            .out()
            .matches(
                "wrote RGE-Synth \\(seed 2\\) to "
                    + Pattern.quote(out.toAbsolutePath().toString())
                    + " in \\d+\\.\\d s: 10 subsets \\(8 tasks\\), \\d+ training rows, 32"
                    + " held-out and 32 seen evaluation rows; details in synth.json\\R"),
        synth.out());

    Run again = run("synth", "--out", out.toString(), "--size", "tiny", "--no-progress");
    assertEquals(1, again.exitCode());
    assertTrue(again.err().contains("--force"), again.err());

    TreeMap<String, List<Long>> before = TestFiles.snapshot(out);
    Run table = run("inspect", out.toString());
    assertEquals(0, table.exitCode(), table.out() + table.err());
    List<String> lines = table.out().lines().toList();
    assertEquals(out + " (rge-synth): 26 datasets, 0 errors", lines.get(0));
    assertTrue(lines.get(1).matches("dataset +kind +rows +cands +images found +rationales"));
    assertTrue(
        lines.stream().anyMatch(l -> l.matches("eval/SynthShapeShift +eval +4 +8 +\\d+/\\d+ +-")),
        table.out());
    assertEquals(2 + 26, lines.size(), table.out());

    Run inspect = run("inspect", out.toString(), "--json");
    assertEquals(0, inspect.exitCode(), inspect.out() + inspect.err());
    JsonNode report = new ObjectMapper().readTree(inspect.out());
    assertEquals("rge-synth", report.get("kind").asText());
    assertEquals(0, report.get("errorCount").asInt());
    assertEquals(26, report.get("datasets").size(), "10 train subsets + 8 eval + 8 eval-seen");
    for (JsonNode dataset : report.get("datasets")) {
      JsonNode images = dataset.get("images");
      assertEquals(0, images.get("missing").asInt(), dataset.toString());
      assertEquals(images.get("referenced").asInt(), images.get("found").asInt());
      if (dataset.get("format").asText().equals("train")) {
        assertEquals(1.0, dataset.get("rationales").get("coverage").asDouble(), dataset.toString());
      } else {
        assertTrue(dataset.get("candidatesPerRow").get("min").asInt() >= 4, dataset.toString());
      }
    }
    assertEquals(before, TestFiles.snapshot(out), "inspect must not write");
  }

  @Test
  void inspectListsStructuralErrorsAndExitsOne() throws IOException {
    Path root = dir.resolve("eval");
    TestFiles.parquet(
        root.resolve("Good/test-00000-of-00001.parquet"),
        "SELECT '<|image_1|> q' AS qry_text, 'Good/q.png' AS qry_img_path, ['a', 'b'] AS tgt_text,"
            + " ['', ''] AS tgt_img_path",
        "zstd");
    TestFiles.parquet(
        root.resolve("Mismatch/test-00000-of-00001.parquet"),
        "SELECT * FROM (VALUES ('q0', '', ['a'], ['']), ('q1', 'x.png', ['a', 'b', 'c'], ['', '', '']),"
            + " ('q2', '', ['a'], ['../../etc/passwd'])) t(qry_text, qry_img_path, tgt_text, tgt_img_path)",
        "snappy");
    TestFiles.parquet(
        root.resolve("WrongType/test-00000-of-00001.parquet"),
        "SELECT 'q' AS qry_text, '' AS qry_img_path, 'a' AS tgt_text, '' AS tgt_img_path",
        "snappy");
    Path images = dir.resolve("images");
    Files.createDirectories(images.resolve("Good"));
    Files.write(images.resolve("Good/q.png"), new byte[] {1});
    TreeMap<String, List<Long>> before = TestFiles.snapshot(dir);

    Run inspect = run("inspect", root.toString(), "--images", images.toString(), "--json");
    assertEquals(1, inspect.exitCode(), inspect.out() + inspect.err());
    JsonNode report = new ObjectMapper().readTree(inspect.out());
    assertEquals("mmeb-eval", report.get("kind").asText());
    Map<String, JsonNode> byName = new TreeMap<>();
    report.get("datasets").forEach(d -> byName.put(d.get("name").asText(), d));
    assertEquals(0, byName.get("Good").get("errorCount").asInt());
    assertEquals(2, byName.get("Good").get("candidatesPerRow").get("max").asInt());
    assertEquals(1, byName.get("Good").get("images").get("found").asInt());
    JsonNode mismatch = byName.get("Mismatch");
    assertEquals(3, mismatch.get("rows").asInt());
    assertEquals(1, mismatch.get("candidatesPerRow").get("min").asInt());
    assertEquals(3, mismatch.get("candidatesPerRow").get("max").asInt());
    String errors = report.get("errors").toString();
    assertTrue(errors.contains("dataset Mismatch, row 1, column qry_text"), errors);
    assertTrue(errors.contains("dataset Mismatch, row 2, column tgt_text[0]"), errors);
    assertTrue(errors.contains("unsafe image path '../../etc/passwd'"), errors);
    assertTrue(errors.contains("1 of 1 referenced images missing"), errors);
    assertTrue(errors.contains("'tgt_text' has type VARCHAR, expected VARCHAR[]"), errors);

    Run table = run("inspect", root.toString(), "--images", images.toString());
    assertEquals(1, table.exitCode(), table.out() + table.err());
    List<String> lines = table.out().lines().toList();
    long errorCount = report.get("errorCount").asLong();
    assertEquals(root + " (mmeb-eval): 3 datasets, " + errorCount + " errors", lines.get(0));
    assertTrue(lines.contains("errors (" + errorCount + "):"), table.out());
    assertTrue(lines.stream().anyMatch(l -> l.matches("Good +eval +1 +2 +1/1 +-")), table.out());
    assertTrue(lines.stream().anyMatch(l -> l.matches("Mismatch +eval +3 +1-3 .*")), table.out());
    for (JsonNode error : report.get("errors")) {
      assertTrue(lines.contains("  " + error.asText()), error.asText());
    }
    assertEquals(before, TestFiles.snapshot(dir), "inspect must not write");
  }

  @Test
  void inspectChecksTrainRationales() throws IOException {
    Path root = dir.resolve("train");
    TestFiles.parquet(
        root.resolve("Sub/original-00000-of-00001.parquet"),
        "SELECT 'q' || i AS qry, '' AS qry_image_path, 'p' AS pos_text, '' AS pos_image_path"
            + " FROM range(4) t(i) ORDER BY i",
        "zstd");
    Path rationales = dir.resolve("rationales");
    Files.createDirectories(rationales);
    Files.write(
        rationales.resolve("Sub.jsonl"),
        List.of(
            "{\"id\": 0, \"rationale\": \"r\", \"qry\": \"q0\"}",
            "{\"id\": 2, \"rationale\": \"r\", \"qry\": \"q3\"}"));
    Run inspect = run("inspect", root.toString(), "--rationales", rationales.toString(), "--json");
    assertEquals(1, inspect.exitCode());
    JsonNode report = new ObjectMapper().readTree(inspect.out());
    assertEquals("mmeb-train", report.get("kind").asText());
    JsonNode sub = report.get("datasets").get(0);
    assertEquals(0.5, sub.get("rationales").get("coverage").asDouble());
    assertTrue(
        report
            .get("errors")
            .get(0)
            .asText()
            .contains("Sub.jsonl, line 2: qry of id 2 does not match"),
        report.toString());
  }

  @Test
  void usageErrorsArePicocliOwn() {
    assertEquals(2, run().exitCode(), "no subcommand");
    Run badSize = run("synth", "--out", dir.resolve("x").toString(), "--size", "huge");
    assertEquals(2, badSize.exitCode());
    assertTrue(badSize.err().contains("tiny, small, medium"), badSize.err());
    assertEquals(2, run("inspect").exitCode(), "ROOT is required");
  }

  @Test
  void missingRootIsReported() throws IOException {
    Run inspect = run("inspect", dir.resolve("nowhere").toString(), "--json");
    assertEquals(1, inspect.exitCode());
    assertTrue(
        new ObjectMapper()
            .readTree(inspect.out())
            .get("errors")
            .get(0)
            .asText()
            .contains("root folder not found"));
  }
}
