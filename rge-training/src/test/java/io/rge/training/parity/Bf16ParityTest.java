package io.rge.training.parity;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.rge.core.DeviceChoice;
import io.rge.core.DjlEngine;
import io.rge.core.precision.ComputePrecision;
import io.rge.core.precision.PrecisionChoice;
import io.rge.core.qwen25vl.ImagePositions;
import io.rge.testfixtures.TestFixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The shared fixture's parity in bf16 against transformers' fp32 reference, within {@link
 * ParityTolerances#BF16} (set from this run's measurement): the image forward pass, padded batches
 * and their embeddings, the losses and every gradient norm, and the generated sequences by {@link
 * HalfGenerationCheck}. Runs only with a JNI library that maps bfloat16 ({@code -Pbf16}, README).
 */
@Tag("bf16")
class Bf16ParityTest {
  @BeforeAll
  static void bf16JniLoaded() {
    DjlEngine.get();
    // Throws, naming scripts/build-djl-jni, before any bf16 array exists on a stock library.
    PrecisionChoice.resolve(ComputePrecision.BF16, Device.cpu());
  }

  @Test
  void everyRowOfTheFixtureMeetsItsBf16Bar() throws Exception {
    Path fixture = TestFixtures.tinyModel();
    StringWriter table = new StringWriter();
    boolean passed =
        ParityRun.run(
            fixture,
            fixture.resolve("expected.safetensors"),
            ImagePositions.SEQUENTIAL,
            DeviceChoice.CPU,
            ComputePrecision.BF16,
            new PrintWriter(table, true));
    String out = table.toString();
    System.out.println(out); // the measured errors, for the tolerances' comment
    assertTrue(passed, out);
    for (String row :
        List.of(
            "img0.vision_patch_embed",
            "img1.image_embeds",
            "img0.logits",
            "img0.rge_sequence.teacher_forced_logits",
            "img0.rge_sequence ",
            "img1.rge_embedding",
            "batch_left.emb_embeddings",
            "loss.total",
            "grad_norm")) {
      assertTrue(out.contains(row), row + " missing from\n" + out);
    }
  }
}
