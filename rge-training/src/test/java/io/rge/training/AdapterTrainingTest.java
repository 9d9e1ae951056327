package io.rge.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rge.core.DeviceChoice;
import io.rge.core.RgeModel;
import io.rge.core.adapters.Adapters;
import io.rge.core.safetensors.SafetensorsFile;
import io.rge.training.checkpoint.CheckpointStore;
import io.rge.training.config.TrainConfig;
import io.rge.training.metrics.StepMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 6-step DoRA run (dropout 0.1, 2 LM-only steps, then rge with a step-wide InfoNCE over 2
 * micro-batches): only the adapters and the {@code <emb>} row train, every checkpoint carries the
 * PEFT files, and a run stopped after step 3 and resumed ends with the same adapters, bit for bit.
 */
class AdapterTrainingTest {
  private static final String[] DORA = {
    "adapters={type: dora, r: 4, alpha: 8, dropout: 0.1}",
    "schedule.total_steps=6",
    "objective.lm_warmup_steps=2"
  };

  @TempDir static Path dir;
  private static TrainConfig config;
  private static TrainResult full;

  @BeforeAll
  static void uninterruptedRun() throws Exception {
    config = TestRuns.config(dir.resolve("full"), DORA);
    full = new Trainer(config).run();
  }

  @Test
  void onlyTheAdaptersAndTheEmbRowChange() throws Exception {
    CheckpointStore store = new CheckpointStore(dir.resolve("full").resolve(Trainer.CHECKPOINTS));
    Path third = store.folderFor(3);
    Path sixth = store.folderFor(6);
    for (Path checkpoint : new Path[] {third, sixth}) {
      assertTrue(Files.isRegularFile(checkpoint.resolve(Adapters.CONFIG_FILE)), checkpoint + "");
      assertTrue(Files.isRegularFile(checkpoint.resolve(Adapters.WEIGHTS_FILE)), checkpoint + "");
    }
    try (SafetensorsFile a = SafetensorsFile.open(third.resolve("model.safetensors"));
        SafetensorsFile b = SafetensorsFile.open(sixth.resolve("model.safetensors"))) {
      for (String name : a.names()) {
        assertArrayEquals(a.readFloats(name), b.readFloats(name), name + " is frozen");
      }
    }
    int changed = 0;
    Set<String> names;
    try (SafetensorsFile a = SafetensorsFile.open(third.resolve(Adapters.WEIGHTS_FILE));
        SafetensorsFile b = SafetensorsFile.open(sixth.resolve(Adapters.WEIGHTS_FILE))) {
      names = a.names();
      for (String name : names) {
        changed += Arrays.equals(a.readFloats(name), b.readFloats(name)) ? 0 : 1;
      }
      assertFalse(
          Arrays.equals(
              a.readFloats(
                  "base_model.model.model.language_model.embed_tokens.token_adapter"
                      + ".trainable_tokens_delta"),
              b.readFloats(
                  "base_model.model.model.language_model.embed_tokens.token_adapter"
                      + ".trainable_tokens_delta")),
          "the <emb> row trains");
    }
    assertTrue(
        changed > names.size() / 2, changed + " of " + names.size() + " adapter tensors moved");
    for (StepMetrics m : full.metrics()) {
      assertFalse(m.skipped(), "step " + m.step());
    }
    try (RgeModel model = RgeModel.load(sixth, DeviceChoice.CPU)) {
      assertTrue(model.adapters().isPresent(), "a checkpoint folder loads with its adapters");
    }
  }

  @Test
  void aResumedAdapterRunEndsWithTheSameAdapters() throws Exception {
    TrainConfig resumable = config.withOutput(dir.resolve("resumed"));
    new Trainer(resumable).run(3);
    TrainResult rest = new Trainer(resumable).run();
    assertEquals(3, rest.summary().stepsThisRun());
    for (int i = 0; i < 6; i++) {
      assertEquals(full.metrics().get(i).total(), rest.metrics().get(i).total(), 1e-6, "step " + i);
    }
    // Each checkpoint folder holds its adapters, which the loader finds there.
    try (RgeModel a = RgeModel.load(full.finalCheckpoint(), DeviceChoice.CPU);
        RgeModel b = RgeModel.load(rest.finalCheckpoint(), DeviceChoice.CPU)) {
      assertEquals(a.fingerprint(), b.fingerprint(), "base and adapters identical");
    }
  }
}
