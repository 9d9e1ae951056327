package io.rge.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.DataType;
import io.rge.core.RgeModel;
import io.rge.core.qwen25vl.ModelWeight;
import io.rge.core.safetensors.DType;
import io.rge.core.safetensors.SafetensorsFile;
import io.rge.training.checkpoint.CheckpointStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DoRA on an fp16 base (issue 12, point 3): the base is stored in fp16 only and stays bit-identical
 * through a step; the adapters and the {@code <emb>} row are fp32 and are what moves.
 */
class HalfPrecisionAdapterTrainingTest {
  @TempDir Path dir;

  @Test
  void onlyTheFp32AdaptersAndEmbRowMoveAndTheFp16BaseStaysBitIdentical() throws Exception {
    Map<String, byte[]> base = new LinkedHashMap<>();
    List<float[]> adapters = new ArrayList<>();
    List<String> names = new ArrayList<>();
    int[] changed = new int[1];
    boolean[] embRowMoved = new boolean[1];
    Trainer trainer =
        new Trainer(
            TestRuns.config(
                dir.resolve("run"),
                "adapters={type: dora, r: 4, alpha: 8, dropout: 0.1}",
                "precision=fp16",
                "checkpoint.every=1"));
    trainer.setHooks(
        new TrainerHooks() {
          @Override
          public void beforeStep(long step, RgeModel model) {
            List<ModelWeight> trainable = model.adapters().orElseThrow().weights();
            for (ModelWeight w : model.network().weights().all()) {
              assertEquals(DataType.FLOAT16, w.value().getDataType(), w.name());
              assertFalse(w.value().hasGradient(), w.name() + " is frozen");
              if (step == 0) {
                base.put(w.name(), w.value().toByteArray());
              } else {
                assertArrayEquals(base.get(w.name()), w.value().toByteArray(), w.name());
              }
            }
            for (int i = 0; i < trainable.size(); i++) {
              ModelWeight w = trainable.get(i);
              assertEquals(DataType.FLOAT32, w.value().getDataType(), w.name());
              if (step == 0) {
                names.add(w.name());
                adapters.add(w.value().toFloatArray());
              } else if (!Arrays.equals(adapters.get(i), w.value().toFloatArray())) {
                changed[0]++;
                embRowMoved[0] |= w.name().endsWith("trainable_tokens_delta");
              }
            }
          }
        });
    TrainResult result = trainer.run(2);
    assertFalse(result.metrics().get(0).skipped());
    assertTrue(changed[0] > names.size() / 2, changed[0] + " of " + names.size() + " moved");
    assertTrue(embRowMoved[0], "the <emb> row trains");
    Path first = new CheckpointStore(dir.resolve("run").resolve(Trainer.CHECKPOINTS)).folderFor(1);
    // No fp32 master of the frozen base anywhere: that is the memory saving.
    assertFalse(Files.exists(first.resolve(CheckpointStore.MASTERS_FILE)));
    try (SafetensorsFile model = SafetensorsFile.open(first.resolve("model.safetensors"))) {
      assertEquals(DType.BF16, model.info("model.norm.weight").dtype());
    }
  }
}
