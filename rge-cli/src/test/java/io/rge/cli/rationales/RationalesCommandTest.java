package io.rge.cli.rationales;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rge.cli.Cli;
import io.rge.cli.RgeCli;
import io.rge.data.images.MissingImagePolicy;
import io.rge.data.mixture.LoadedSubset;
import io.rge.data.mixture.SubsetSpec;
import io.rge.data.mixture.TrainSubsetLoader;
import io.rge.data.mmeb.MmebTrainReader;
import io.rge.data.mmeb.ReadOptions;
import io.rge.data.mmeb.RowStream;
import io.rge.data.mmeb.TrainRow;
import io.rge.data.rationale.MissingRationalePolicy;
import io.rge.data.rationale.OracleRationaleStore;
import io.rge.data.synth.RgeSynth;
import io.rge.data.synth.SynthLayout;
import io.rge.data.synth.SynthSize;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rge rationales} with a quickstart-style teacher: a tiny model trained from scratch on
 * RGE-Synth for a few steps (its text is near noise; the formats are what is tested), whose
 * rationale files the trainer then trains on.
 */
class RationalesCommandTest {
  private static final String SUBSET = "SynthColorShift";
  private static final int LIMIT = 4; // of the subset's 6 rows

  @TempDir static Path shared;
  @TempDir Path tmp;

  private static SynthLayout synth;
  private static Path teacher;

  record Outcome(int code, String out, String err) {}

  private static Outcome rge(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Cli.run(new RgeCli(), new PrintWriter(out), new PrintWriter(err), args);
    return new Outcome(code, out.toString(), err.toString());
  }

  /** A tiny-preset training config over RGE-Synth (the quickstart's recipe, shrunk). */
  private static Path trainConfig(Path dir, Path rationales, int steps) throws Exception {
    String yaml =
        """
        model:
          preset: tiny
          tiny: {hidden_size: 32, intermediate_size: 64, num_hidden_layers: 2, num_attention_heads: 2,
                 num_key_value_heads: 1, mrope_section: [2, 3, 3], vision_depth: 1,
                 vision_hidden_size: 16, vision_intermediate_size: 32, vision_num_heads: 1,
                 fullatt_block_indexes: [0]}
        data:
          train_root: %s
          subsets: [{name: %s}]
          rationales: %s
          images: [%s]
          missing_rationale: drop
        objective: {mode: rge, temperature: 0.05, max_new_tokens: 4, lm_warmup_steps: %d,
                    generation_batch_size: 4}
        optimizer: {lr: 3.0e-3}
        schedule: {warmup_steps: 1, total_steps: %d}
        batch_size: 2
        device: cpu
        threads: 1
        output: %s
        seed: 1
        checkpoint: {every: %d, keep: 1}
        logging: {every: 1, progress_bar: false}
        """
            .formatted(
                synth.trainRoot(),
                SUBSET,
                rationales,
                synth.imageRoot(),
                steps - 1,
                steps,
                dir.resolve("run"),
                steps);
    Files.createDirectories(dir);
    Path file = dir.resolve("train.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  @BeforeAll
  static void trainTeacher() throws Exception {
    RgeSynth.generate(shared.resolve("synth"), 0, SynthSize.TINY, false);
    synth = new SynthLayout(shared.resolve("synth"));
    // Trained on RGE-Synth's rule-made rationales, as the quickstart's models are.
    Outcome run =
        rge(
            "train",
            "--config",
            trainConfig(shared.resolve("teacher"), synth.rationaleRoot(), 3).toString());
    assertEquals(0, run.code(), run.err());
    teacher = shared.resolve("teacher/run/checkpoints/step-00000003");
    assertTrue(Files.isDirectory(teacher), teacher + " is missing");
  }

  /** Keeps whatever a barely trained model writes: the test is about the files. */
  private Path teacherConfig() throws Exception {
    Path file = tmp.resolve("teacher.yaml");
    Files.writeString(
        file,
        """
        prompt: "{query} ? the answer is {target} . why ?"
        end_marker: null
        stop_token: <emb>        # an RGE checkpoint ends its rationale with <emb>
        max_new_tokens: 6
        batch_size: 4
        filters: {drop_unterminated: false, max_rationale_tokens: 0, max_ngram_repeats: 0,
                  max_target_quote_words: 0}
        """);
    return file;
  }

  private String[] args(Path out, String... more) throws Exception {
    List<String> all =
        new java.util.ArrayList<>(
            List.of(
                "rationales",
                "--model",
                teacher.toString(),
                "--data",
                synth.trainRoot().toString(),
                "--images",
                synth.imageRoot().toString(),
                "--subsets",
                SUBSET,
                "--limit",
                String.valueOf(LIMIT),
                "--out",
                out.toString(),
                "--config",
                teacherConfig().toString(),
                "--device",
                "cpu",
                "--no-progress"));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  @Test
  void rationalesOfAQuickstartTeacherAreFilesTheTrainerAccepts() throws Exception {
    Path out = tmp.resolve("rationales");
    Outcome run = rge(args(out));
    assertEquals(0, run.code(), run.err());
    assertTrue(run.out().startsWith(SUBSET + ": " + LIMIT + " rows, "), run.out());

    Path file = out.resolve(SUBSET + ".jsonl");
    List<Path> parquet = MmebTrainReader.subsetFiles(synth.trainRoot(), SUBSET, "original");
    OracleRationaleStore store =
        OracleRationaleStore.load(file, MmebTrainReader.countRows(parquet));
    try (RowStream<TrainRow> rows =
        MmebTrainReader.open(SUBSET, "original", parquet, ReadOptions.defaults())) {
      store.verify(rows);
    }
    long written = store.coverage().covered();
    assertTrue(written >= 1, "a few-step model writes some non-empty text: " + run.out());
    assertTrue(run.out().contains(written + " written"), run.out());

    // The trainer's loader keeps exactly the curated rows (the others have no rationale: dropped)
    LoadedSubset loaded =
        new TrainSubsetLoader(
                synth.trainRoot(), out, null, MissingImagePolicy.FAIL, MissingRationalePolicy.DROP)
            .load(new SubsetSpec(SUBSET, "original", Long.MAX_VALUE, 1.0));
    assertEquals(written, loaded.rows().size());
    // ... and trains on them: LM steps on the curated rationales, then a joint step.
    Outcome train =
        rge("train", "--config", trainConfig(tmp.resolve("student"), out, 2).toString());
    assertEquals(0, train.code(), train.err());
    assertTrue(Files.isDirectory(tmp.resolve("student/run/checkpoints/step-00000002")));

    // A rerun finds every row done and generates nothing; it spells --model as the old --teacher,
    // which stays a hidden alias for existing scripts.
    String[] rerun = args(out);
    assertEquals("--model", rerun[1]);
    rerun[1] = "--teacher";
    Outcome again = rge(rerun);
    assertEquals(0, again.code(), again.err());
    assertEquals(
        run.out().replaceAll(", [0-9.]+ tokens/s", ""),
        again.out().replaceAll(", [0-9.]+ tokens/s", ""));
  }

  @Test
  void unknownPrecisionAndUnmappedBf16AreRefusedClearly() throws Exception {
    Outcome unknown = rge(args(tmp.resolve("a"), "--precision", "fp8"));
    assertEquals(2, unknown.code());
    assertTrue(
        unknown.err().contains("precision 'fp8' is not one of fp32, bf16, fp16"), unknown.err());
    // This machine's DJL library has no bf16 marker: a clear error naming the fix, no JVM abort.
    Outcome bf16 = rge(args(tmp.resolve("b"), "--precision", "bf16"));
    assertEquals(1, bf16.code());
    assertTrue(bf16.err().startsWith("error: precision bf16 needs a DJL JNI library"), bf16.err());
    assertTrue(bf16.err().contains("scripts/build-djl-jni"), bf16.err());
  }
}
