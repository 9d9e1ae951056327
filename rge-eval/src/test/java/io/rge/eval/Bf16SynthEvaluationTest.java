package io.rge.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.rge.core.DeviceChoice;
import io.rge.core.DjlEngine;
import io.rge.core.LoadOptions;
import io.rge.core.RgeModel;
import io.rge.core.precision.ComputePrecision;
import io.rge.core.precision.PrecisionChoice;
import io.rge.core.qwen25vl.ImagePositions;
import io.rge.data.synth.RgeSynth;
import io.rge.data.synth.SynthSize;
import io.rge.eval.report.Prediction;
import io.rge.eval.report.PredictionsJsonl;
import io.rge.eval.score.DatasetScore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The RGE-Synth evaluation (held-out split, reasoning on: generation, then the {@code <emb>}
 * embeddings of queries and candidates) of the tiny fixture model in bf16 against the same in fp32,
 * with the bf16-capable JNI library ({@code -Pbf16}, README).
 */
@Tag("bf16")
class Bf16SynthEvaluationTest {
  /**
   * The largest distance of bf16's overall Precision@1 from fp32's, in points. Measured here:
   * MEASURED. 32 queries make one query 3.1 points; the bar allows a few flipped near-ties (the
   * random-weight fixture ranks many candidates within bf16's score error) and fails a broken bf16
   * pass, which falls to chance or to zero.
   */
  private static final double OVERALL_POINTS = 10.0;

  @TempDir Path tmp;

  @BeforeAll
  static void bf16JniLoaded() {
    DjlEngine.get();
    // Throws, naming scripts/build-djl-jni, before any bf16 array exists on a stock library.
    PrecisionChoice.resolve(ComputePrecision.BF16, Device.cpu());
  }

  @Test
  void bf16ScoresAreWithinTheStatedDistanceOfFp32s() throws Exception {
    Path synth = tmp.resolve("synth");
    RgeSynth.generate(synth, 11, SynthSize.TINY, false);
    EvalData heldOut = EvalData.locate(synth, null);
    EvalReport fp32 = evaluate(heldOut, ComputePrecision.FP32);
    EvalReport bf16 = evaluate(heldOut, ComputePrecision.BF16);

    List<Prediction> a = PredictionsJsonl.read(fp32.predictions());
    List<Prediction> b = PredictionsJsonl.read(bf16.predictions());
    assertEquals(a.size(), b.size());
    int same = 0;
    for (int i = 0; i < a.size(); i++) {
      same += a.get(i).predicted() == b.get(i).predicted() ? 1 : 0;
    }
    StringBuilder table = new StringBuilder();
    for (DatasetScore d : fp32.scores().datasets()) {
      DatasetScore h = bf16.scores().dataset(d.name());
      table.append(
          String.format(
              java.util.Locale.ROOT,
              "%-22s fp32 %5.1f  bf16 %5.1f%n",
              d.name(),
              100 * d.precisionAt1(),
              100 * h.precisionAt1()));
    }
    double overall32 = 100 * fp32.scores().overall().value();
    double overall16 = 100 * bf16.scores().overall().value();
    table.append(
        String.format(
            java.util.Locale.ROOT,
            "overall fp32 %.2f, bf16 %.2f; same prediction on %d of %d queries%n",
            overall32,
            overall16,
            same,
            a.size()));
    System.out.print(table);
    assertEquals(8, bf16.scores().overall().present(), table.toString());
    assertTrue(Math.abs(overall16 - overall32) <= OVERALL_POINTS, table.toString());
  }

  private EvalReport evaluate(EvalData data, ComputePrecision precision) throws Exception {
    try (RgeModel model =
        RgeModel.load(
            LoadOptions.builder()
                .setModel(TestData.fixtureModel())
                .optDevice(DeviceChoice.CPU)
                .optPositions(ImagePositions.SEQUENTIAL)
                .optPrecision(precision)
                .build())) {
      Path out = tmp.resolve(precision.id());
      EvalSettings settings =
          EvalSettings.builder(out)
              .batchSize(8)
              .maxNewTokens(8)
              .cacheDir(out.resolve("cache"))
              .build();
      return new MmebEvaluator(Embedder.of(model)).evaluate(data, settings);
    }
  }
}
