package io.rge.benchmarks;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.rge.core.DeviceChoice;
import io.rge.core.DjlEngine;
import io.rge.core.image.ImageGrid;
import io.rge.core.image.ProcessedImage;
import io.rge.core.precision.ComputePrecision;
import io.rge.core.precision.PrecisionChoice;
import io.rge.core.qwen25vl.ImagePositions;
import io.rge.core.qwen25vl.ModelConfigReader;
import io.rge.core.qwen25vl.ModelInput;
import io.rge.core.qwen25vl.OutputRequest;
import io.rge.core.qwen25vl.Qwen25VLConfig;
import io.rge.core.qwen25vl.Qwen25VLModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The measures of {@code ../shared/gpu/anchor_hf.py} on RGE's model, for side-by-side ratios on the
 * GPU machine: a random-weight model of a config's shape (the real Qwen2.5-VL-3B one for the
 * anchor) in a chosen precision, timing
 *
 * <ul>
 *   <li>text forward, batch 64 × 256 tokens, no gradient (tokens/s);
 *   <li>image queries, 16 × 448² images (1024 patches, 256 tokens each) + 40 text tokens
 *       (images/s);
 *   <li>a training forward + backward of the next-token loss, batch 8 × 512 text tokens, no
 *       optimizer (tokens/s), with or without activation recomputation.
 * </ul>
 *
 * <p>Every figure is the mean of {@code --repeats} runs after one warm-up, each ending in a host
 * copy of a scalar (which waits for the device). Run: {@code java -cp ...
 * io.rge.benchmarks.PrecisionBench --config CONFIG_JSON [--precision bf16] [--device gpu]
 * [--recompute] [--repeats 3] [--scale 1]}; {@code --scale K} divides every batch by K (K = 8 on a
 * CPU with the tiny config, to try the whole path).
 */
public final class PrecisionBench {
  private PrecisionBench() {}

  public static void main(String[] args) throws Exception {
    Path config = null;
    String precision = "auto";
    DeviceChoice device = DeviceChoice.AUTO;
    boolean recompute = false;
    int repeats = 3;
    int scale = 1;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--config" -> config = Path.of(args[++i]);
        case "--precision" -> precision = args[++i];
        case "--device" -> device = DeviceChoice.parse(args[++i]);
        case "--recompute" -> recompute = true;
        case "--repeats" -> repeats = Integer.parseInt(args[++i]);
        case "--scale" -> scale = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (config == null) {
      throw new IllegalArgumentException("--config CONFIG_JSON is required");
    }
    Qwen25VLConfig c = ModelConfigReader.read(config);
    Device dev = DjlEngine.device(device);
    ComputePrecision p = PrecisionChoice.resolve(PrecisionChoice.parseOrAuto(precision), dev);
    System.out.printf(
        Locale.ROOT,
        "model %s (random weights), %s, %s, recomputation %s, batches / %d%n",
        config.getFileName(),
        dev,
        p,
        recompute ? "on" : "off",
        scale);
    try (NDManager root = DjlEngine.get().newBaseManager(dev)) {
      long t0 = System.nanoTime();
      Qwen25VLModel model =
          Qwen25VLModel.create(c, new PatternWeights(), root, ImagePositions.GRID, p);
      System.out.printf(Locale.ROOT, "model built in %.1f s%n", (System.nanoTime() - t0) / 1e9);
      int vocab = Math.min(c.text().vocabSize(), 151000);
      SplittableRandom random = new SplittableRandom(1);

      ModelInput text = textBatch(c, 64 / scale, 256, vocab, random);
      double s = time(repeats, () -> forward(root, model, text, false));
      report("text forward 64x256", 64.0 / scale * 256 / s, "tokens/s", s);

      ModelInput images = imageBatch(c, 16 / scale, random);
      s = time(repeats, () -> forward(root, model, images, false));
      report("image queries 16 x 448^2 + 40 tokens", 16.0 / scale / s, "images/s", s);

      // In a half precision the half weights are the gradient leaves (as in mixed-precision
      // training, whose fp32 masters and optimizer step are not part of this forward + backward).
      model.weights().setTrainable(w -> true);
      model.setActivationRecomputation(recompute);
      ModelInput train = textBatch(c, 8 / scale, 512, vocab, random);
      s = time(repeats, () -> forward(root, model, train, true));
      report("training forward+backward 8x512", 8.0 / scale * 512 / s, "tokens/s", s);
      model.close();
    }
  }

  private static void report(String what, double rate, String unit, double seconds) {
    System.out.printf(
        Locale.ROOT, "%-40s %12.1f %s  (%.3f s per call)%n", what, rate, unit, seconds);
  }

  private interface Call {
    void run() throws Exception;
  }

  private static double time(int repeats, Call call) throws Exception {
    call.run();
    long start = System.nanoTime();
    for (int i = 0; i < repeats; i++) {
      call.run();
    }
    return (System.nanoTime() - start) / 1e9 / repeats;
  }

  /** One pass; with {@code train}, the mean next-token loss and its backward pass. */
  private static void forward(
      NDManager root, Qwen25VLModel model, ModelInput input, boolean train) {
    try (NDManager scope = root.newSubManager()) {
      if (!train) {
        int b = input.batchSize();
        int[][] last = new int[b][];
        for (int r = 0; r < b; r++) {
          last[r] = new int[] {r, input.length() - 1};
        }
        NDArray out = model.forward(scope, input, OutputRequest.gatherAt(last)).gathered();
        model.logits(out).sum().getFloat();
        return;
      }
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray hidden = model.forward(scope, input, OutputRequest.hiddenOnly()).lastHidden();
        int b = input.batchSize();
        int l = input.length();
        long[] targets = new long[b * (l - 1)];
        for (int r = 0; r < b; r++) {
          for (int t = 0; t < l - 1; t++) {
            targets[r * (l - 1) + t] = input.ids()[r][t + 1];
          }
        }
        NDArray logits = model.logits(hidden.get(":, :-1, :")).reshape(b * (l - 1), -1);
        NDArray loss =
            logits
                .logSoftmax(1)
                .gather(scope.create(targets, new ai.djl.ndarray.types.Shape(targets.length, 1)), 1)
                .mean()
                .neg();
        model.backward(collector, loss);
        loss.getFloat();
      }
      model.weights().zeroGradients();
    }
  }

  private static ModelInput textBatch(
      Qwen25VLConfig c, int batch, int length, int vocab, SplittableRandom random) {
    int[][] ids = new int[batch][length];
    int[][] mask = new int[batch][length];
    for (int r = 0; r < batch; r++) {
      for (int t = 0; t < length; t++) {
        ids[r][t] = textToken(c, 100 + random.nextInt(vocab - 100));
      }
      Arrays.fill(mask[r], 1);
    }
    return new ModelInput(ids, mask, List.of());
  }

  /** {@code id}, or 0 where it is one of the special tokens (images need their grids). */
  private static int textToken(Qwen25VLConfig c, int id) {
    var s = c.tokens();
    boolean special =
        id == s.imagePad() || id == s.videoPad() || id == s.visionStart() || id == s.visionEnd();
    return special ? 0 : id;
  }

  /**
   * Each row: vision start, 256 image tokens of a 32 × 32 patch grid, vision end, 40 text tokens.
   */
  private static ModelInput imageBatch(Qwen25VLConfig c, int batch, SplittableRandom random) {
    ImageGrid grid = new ImageGrid(1, 32, 32);
    int width = c.vision().patchVectorSize();
    List<ProcessedImage> images = new ArrayList<>();
    int[][] ids = new int[batch][];
    int[][] mask = new int[batch][];
    for (int r = 0; r < batch; r++) {
      float[] pixels = new float[grid.patches() * width];
      for (int i = 0; i < pixels.length; i++) {
        pixels[i] = (float) (random.nextDouble() * 2 - 1);
      }
      images.add(new ProcessedImage(pixels, grid, width));
      int[] row = new int[1 + 256 + 1 + 40];
      row[0] = c.tokens().visionStart();
      Arrays.fill(row, 1, 257, c.tokens().imagePad());
      row[257] = c.tokens().visionEnd();
      for (int t = 258; t < row.length; t++) {
        row[t] = textToken(c, 100 + t);
      }
      ids[r] = row;
      mask[r] = new int[row.length];
      Arrays.fill(mask[r], 1);
    }
    return new ModelInput(ids, mask, images);
  }
}
