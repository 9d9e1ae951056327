package io.rge.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.rge.core.DeviceChoice;
import io.rge.core.Provenance;
import io.rge.core.RgeModel;
import io.rge.training.checkpoint.CheckpointStore;
import io.rge.training.config.TrainConfig;
import io.rge.training.metrics.MetricsLog;
import io.rge.training.metrics.StepMetrics;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A 10-step run (3 LM-only warm-up steps, then rge with on-the-fly generation; 2 accumulated
 * micro-batches per step) and what must hold of it: its outputs, exact resumption after a stop at
 * step 5, and the fallback past a corrupt newest checkpoint.
 */
class TrainerResumeTest {
  @TempDir static Path dir;
  private static TrainConfig config;
  private static TrainResult full;

  @BeforeAll
  static void uninterruptedRun() throws Exception {
    config = TestRuns.config(dir.resolve("full"));
    full = new Trainer(config).run();
  }

  @Test
  void aRunWritesMetricsPlotSummaryProvenanceAndLoadableCheckpoints() throws Exception {
    Path out = dir.resolve("full");
    assertTrue(full.finished());
    assertEquals(10, full.metrics().size());
    List<StepMetrics> logged = MetricsLog.read(out.resolve(Trainer.METRICS));
    assertEquals(full.metrics(), logged);
    for (StepMetrics m : logged.subList(0, 3)) {
      assertTrue(m.lmOnly());
      assertNull(m.contrastive(), "no contrastive pass in an LM-only step");
      assertEquals(0.0, m.meanRationaleTokens(), "nothing generated in an LM-only step");
    }
    for (StepMetrics m : logged.subList(3, 10)) {
      assertFalse(m.lmOnly());
      assertNotNull(m.contrastive());
      assertNotNull(m.lm());
      assertTrue(m.meanRationaleTokens() > 0 && m.generationSeconds() > 0);
      assertEquals(m.lm() + 10 * m.contrastive(), m.total(), 1e-4);
    }
    assertEquals(config.schedule().toSchedule(3e-3, 10).at(4), logged.get(4).lr(), 1e-15);
    assertTrue(Files.size(out.resolve(Trainer.PLOT)) > 1000);
    JsonNode summary = new ObjectMapper().readTree(out.resolve(Trainer.SUMMARY).toFile());
    assertEquals(10, summary.get("steps").asInt());
    assertEquals(0, summary.get("skipped_steps").asInt());
    JsonNode provenance = new ObjectMapper().readTree(out.resolve("provenance.json").toFile());
    assertEquals(3, provenance.get("seed").asInt());
    assertEquals("rge", provenance.at("/config/objective/mode").asText());
    assertTrue(provenance.get("versions").has("djl"));
    // The run's Provenance at the top level, the fields scores.json's provenance has too.
    for (var component : Provenance.class.getRecordComponents()) {
      String key = new PropertyNamingStrategies.SnakeCaseStrategy().translate(component.getName());
      assertTrue(provenance.has(key), key + " in " + provenance);
    }
    assertEquals("cpu()", provenance.get("device").asText());
    JsonNode commit = provenance.get("git_commit");
    assertTrue(commit.isNull() || commit.asText().matches("[0-9a-f]{40}"), commit.toString());
    assertFalse(provenance.get("host").asText().isBlank());
    int hashed = 0;
    for (JsonNode file : provenance.get("data")) {
      String path = file.get("path").asText();
      if (path.endsWith(".parquet") || path.endsWith(".jsonl")) {
        assertEquals(64, file.get("sha256").asText().length(), path);
        hashed++;
      }
    }
    assertEquals(6, hashed, "3 subsets: a parquet file and a rationale file each");
    // keep: 2 — of the checkpoints at steps 3, 6, 9 and 10 the last two remain.
    CheckpointStore store = new CheckpointStore(out.resolve(Trainer.CHECKPOINTS));
    assertEquals(List.of(store.folderFor(10), store.folderFor(9)), store.list());
    assertEquals(store.folderFor(10), full.finalCheckpoint());
    assertEquals(Optional.empty(), store.verify(full.finalCheckpoint()));
    for (String file :
        List.of(
            "model.safetensors",
            "config.json",
            "tokenizer.json",
            "preprocessor_config.json",
            "optimizer.safetensors",
            "trainer_state.json",
            "provenance.json",
            "checkpoint.json")) {
      assertTrue(Files.isRegularFile(full.finalCheckpoint().resolve(file)), file);
    }
    try (RgeModel model = RgeModel.load(full.finalCheckpoint(), DeviceChoice.CPU)) {
      assertTrue(model.tokenizer().contains("<emb>"));
    }
  }

  @Test
  void aRunStoppedAfterStepFiveAndResumedRepeatsTheUninterruptedLosses() throws Exception {
    TrainConfig resumable = config.withOutput(dir.resolve("resumed"));
    TrainResult first = new Trainer(resumable).run(5);
    assertFalse(first.finished());
    assertEquals(5, first.metrics().size());
    assertEquals(5, CheckpointStore.stepOf(first.finalCheckpoint()));
    TrainResult rest = new Trainer(resumable).run();
    assertTrue(rest.finished());
    assertEquals(5, rest.summary().stepsThisRun());
    assertEquals(10, rest.metrics().size());
    for (int i = 0; i < 10; i++) {
      StepMetrics a = full.metrics().get(i);
      StepMetrics b = rest.metrics().get(i);
      String step = "step " + (i + 1);
      assertClose(a.total(), b.total(), step + " total");
      assertClose(a.lm(), b.lm(), step + " lm");
      assertClose(a.contrastive(), b.contrastive(), step + " contrastive");
      assertClose(a.gradNorm(), b.gradNorm(), step + " grad norm");
      assertEquals(a.lr(), b.lr(), 0.0, step + " lr");
      assertEquals(a.meanRationaleTokens(), b.meanRationaleTokens(), 0.0, step + " rationale");
    }
    try (RgeModel a = RgeModel.load(full.finalCheckpoint(), DeviceChoice.CPU);
        RgeModel b = RgeModel.load(rest.finalCheckpoint(), DeviceChoice.CPU)) {
      assertEquals(a.fingerprint(), b.fingerprint(), "the final weights are identical");
    }
  }

  @Test
  void aCorruptNewestCheckpointIsSetAsideAndThePreviousOneUsed() throws Exception {
    Path out = dir.resolve("corrupt");
    TrainConfig c = config.withOutput(out);
    TrainResult first = new Trainer(c).run(7); // checkpoints at 3 and 6 (keep 2), and 7
    CheckpointStore store = new CheckpointStore(out.resolve(Trainer.CHECKPOINTS));
    assertEquals(List.of(store.folderFor(7), store.folderFor(6)), store.list());
    try (RandomAccessFile f =
        new RandomAccessFile(store.folderFor(7).resolve("model.safetensors").toFile(), "rw")) {
      f.setLength(f.length() / 2);
    }
    Logger logger = (Logger) LoggerFactory.getLogger(Trainer.class);
    ListAppender<ILoggingEvent> warnings = new ListAppender<>();
    warnings.start();
    logger.addAppender(warnings);
    TrainResult resumed;
    try {
      resumed = new Trainer(c).run();
    } finally {
      logger.detachAppender(warnings);
    }
    assertTrue(
        warnings.list.stream()
            .anyMatch(
                e ->
                    e.getFormattedMessage()
                        .contains(
                            "checkpoint step-00000007 is incomplete or corrupt (model.safetensors"
                                + " has")),
        warnings.list.toString());
    assertTrue(Files.isDirectory(store.folder().resolve("step-00000007.broken")));
    assertEquals(4, resumed.summary().stepsThisRun(), "steps 7 to 10 from the checkpoint of 6");
    for (int i = 0; i < 10; i++) {
      assertClose(
          full.metrics().get(i).total(), resumed.metrics().get(i).total(), "step " + (i + 1));
    }
    assertEquals(full.metrics().get(6).total(), first.metrics().get(6).total());
    assertEquals(Optional.empty(), store.verify(resumed.finalCheckpoint()));
  }

  @Test
  void freshStartsOverAndMovesTheEarlierRunAside() throws Exception {
    Path out = dir.resolve("fresh");
    TrainConfig c = config.withOutput(out);
    new Trainer(c).run(2);
    TrainResult again = new Trainer(c, true).run(1);
    assertEquals(1, again.metrics().size(), "started from scratch");
    assertEquals(full.metrics().get(0).total(), again.metrics().get(0).total());
    List<Path> previous;
    try (var entries = Files.list(out)) {
      previous = entries.filter(p -> p.getFileName().toString().startsWith("previous-")).toList();
    }
    assertEquals(1, previous.size());
    assertTrue(
        Files.isRegularFile(previous.get(0).resolve("checkpoints/step-00000002/checkpoint.json")));
    assertEquals(2, MetricsLog.read(previous.get(0).resolve(Trainer.METRICS)).size());
    assertEquals(1, MetricsLog.read(out.resolve(Trainer.METRICS)).size());
  }

  private static void assertClose(Double expected, Double actual, String what) {
    if (expected == null || actual == null) {
      assertEquals(expected, actual, what);
      return;
    }
    assertEquals(expected, actual, 1e-6, what);
  }
}
