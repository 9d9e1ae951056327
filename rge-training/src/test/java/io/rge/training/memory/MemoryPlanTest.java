package io.rge.training.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.rge.core.adapters.AdapterSettings;
import io.rge.core.precision.ComputePrecision;
import io.rge.core.qwen25vl.ModelConfigReader;
import io.rge.core.qwen25vl.Qwen25VLConfig;
import io.rge.testfixtures.TestFixtures;
import io.rge.training.optim.TrainableParts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The paper config's plan (Qwen2.5-VL-3B, batch 32, 128-token rationales) against hand counts. */
class MemoryPlanTest {
  @TempDir Path tmp;

  /** Hugging Face's count for Qwen/Qwen2.5-VL-3B-Instruct (tied embeddings). */
  private static final long P = 3_754_622_976L;

  private static Qwen25VLConfig threeB() throws Exception {
    return ModelConfigReader.read(TestFixtures.file("configs/qwen2.5-vl-3b-instruct.json"));
  }

  @Test
  void fp32PlanOfTheThreeBillionModel() throws Exception {
    MemoryPlan plan =
        MemoryPlan.of(
            threeB(), TrainableParts.ALL::trains, ComputePrecision.FP32, false, 32, 512, 128);
    assertEquals(P, plan.parameters());
    assertEquals(P, plan.trainable());
    assertEquals(4 * P, plan.weightBytes()); // 15,018,491,904
    assertEquals(0, plan.masterBytes());
    assertEquals(4 * P, plan.gradientBytes());
    assertEquals(8 * P, plan.optimizerBytes()); // two fp32 moments
    // Per layer and token: 4 B × (12·2048 + 4·11008) + 4 B × 16 heads × 512 = 307,200 B;
    // × 36 layers × 32 × 512 tokens, + logits 2 × 4 B × 32 × 128 × 151,936.
    assertEquals(307_200L * 36 * 32 * 512 + 4_978_638_848L, plan.activationBytes());
  }

  @Test
  void bf16WithRecomputationKeepsMastersAndLayerInputs() throws Exception {
    MemoryPlan plan =
        MemoryPlan.of(
            threeB(), TrainableParts.ALL::trains, ComputePrecision.BF16, true, 32, 512, 128);
    assertEquals(2 * P, plan.weightBytes()); // 7,509,245,952
    assertEquals(4 * P, plan.masterBytes());
    assertEquals(2 * P, plan.gradientBytes());
    assertEquals(8 * P, plan.optimizerBytes());
    // Layer inputs 2 B × 2048 × 36 = 147,456 B per token, plus one layer's activations
    // 2 B × (12·2048 + 4·11008) + 4 B × 16 × 512 = 169,984 B per token; + logits.
    assertEquals(16_384L * (147_456 + 169_984) + 4_978_638_848L, plan.activationBytes());
    assertEquals(16 * P + 10_179_575_808L, plan.totalBytes());
  }

  @Test
  void doraOnAHalfPrecisionBaseTrainsOnlyFp32AdaptersAndTheEmbRow() throws Exception {
    MemoryPlan plan =
        MemoryPlan.withAdapters(
            threeB(), AdapterSettings.rge(), ComputePrecision.BF16, true, 32, 512, 128);
    // Per decoder layer, r 16 × (in + out) for A and B, plus DoRA's magnitude (out):
    // q 16·(2048+2048) + k, v 16·(2048+256) + o 16·(2048+2048) + gate, up, down 16·(2048+11008)
    // = 65,536 + 2·36,864 + 65,536 + 3·208,896 = 831,488; magnitudes 2048+256+256+2048
    // + 11008+11008+2048 = 28,672; 860,160 per layer × 36 = 30,965,760; + the <emb> row 2048.
    long adapters = 30_967_808L;
    assertEquals(adapters, plan.trainable());
    assertEquals(P + adapters, plan.parameters());
    assertEquals(2 * P + 4 * adapters, plan.weightBytes()); // base bf16 only, adapters fp32
    assertEquals(0, plan.masterBytes()); // no fp32 copy of the frozen base
    assertEquals(4 * adapters, plan.gradientBytes());
    assertEquals(8 * adapters, plan.optimizerBytes());
    assertEquals(16_384L * (147_456 + 169_984) + 4_978_638_848L, plan.activationBytes());
    // 7.0 GiB of base + 0.46 GiB of adapter state + 9.5 GiB of activations: about 17 GiB.
    assertEquals(2 * P + 16 * adapters + 10_179_575_808L, plan.totalBytes());
  }

  @Test
  void frozenVisionTrainsTheRest() throws Exception {
    Qwen25VLConfig config = threeB();
    MemoryPlan all =
        MemoryPlan.of(config, TrainableParts.ALL::trains, ComputePrecision.FP32, true, 1, 64, 8);
    MemoryPlan frozen =
        MemoryPlan.of(
            config, TrainableParts.FREEZE_VISION::trains, ComputePrecision.FP32, true, 1, 64, 8);
    assertEquals(all.parameters(), frozen.parameters());
    assertTrue(frozen.trainable() < all.trainable());
    assertEquals(8 * frozen.trainable(), frozen.optimizerBytes());
  }

  @Test
  void refusesWithTheNumbersWhenTheDeviceIsTooSmall() throws Exception {
    MemoryPlan plan =
        MemoryPlan.of(
            threeB(), TrainableParts.ALL::trains, ComputePrecision.FP32, false, 32, 512, 128);
    long h200 = 141L << 30;
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> DeviceMemory.require(plan, Device.gpu(), OptionalLong.of(h200)));
    assertTrue(e.getMessage().contains("141.00 GiB"), e.getMessage());
    assertTrue(e.getMessage().contains("activation_checkpointing"), e.getMessage());
    DeviceMemory.require(plan, Device.gpu(), OptionalLong.empty()); // unknown: not enforced

    MemoryPlan small =
        MemoryPlan.of(
            threeB(), TrainableParts.ALL::trains, ComputePrecision.BF16, true, 32, 512, 128);
    DeviceMemory.require(small, Device.gpu(), OptionalLong.of(h200));
  }

  @Test
  void readsMemTotal() throws Exception {
    Path meminfo = tmp.resolve("meminfo");
    Files.writeString(meminfo, "MemTotal:       24576000 kB\nMemFree:        1000 kB\n");
    assertEquals(OptionalLong.of(24_576_000L * 1024), DeviceMemory.memTotal(meminfo));
    assertEquals(OptionalLong.empty(), DeviceMemory.memTotal(tmp.resolve("none")));
  }
}
