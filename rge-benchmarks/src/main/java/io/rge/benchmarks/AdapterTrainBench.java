package io.rge.benchmarks;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.util.cuda.CudaUtils;
import io.rge.core.DeviceChoice;
import io.rge.core.DjlEngine;
import io.rge.core.LoadOptions;
import io.rge.core.MultimodalInput;
import io.rge.core.RgeModel;
import io.rge.core.adapters.AdapterSettings;
import io.rge.core.adapters.Adapters;
import io.rge.core.generation.GenerationSettings.Batching;
import io.rge.core.precision.ComputePrecision;
import io.rge.core.precision.PrecisionChoice;
import io.rge.core.preset.TinyPreset;
import io.rge.core.qwen25vl.ModelConfigReader;
import io.rge.core.qwen25vl.Qwen25VLConfig;
import io.rge.training.objective.ContrastiveBatch;
import io.rge.training.objective.ObjectiveMode;
import io.rge.training.objective.ObjectiveSettings;
import io.rge.training.objective.RgeObjective;
import io.rge.training.objective.StepLosses;
import io.rge.training.objective.TrainExample;
import io.rge.training.optim.AdamW;
import io.rge.training.optim.AdamWSettings;
import io.rge.training.optim.GradientNorm;
import io.rge.training.precision.LossScale;
import io.rge.training.precision.MasterWeights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Adapter training at a model's shape (issue 12): a random-weight model of a {@code config.json}'s
 * shape (e.g. Qwen2.5-VL-3B's), its base frozen in the chosen precision, DoRA adapters as in {@code
 * configs/train-qwen25vl-3b-mmeb-dora.yaml} (r 16, alpha 64, dropout 0.1, q/k/v/o and gate/up/down,
 * fp32 masters, AdamW, clipping at 1, fp16's dynamic loss scale), activation recomputation on, the
 * rge objective with one InfoNCE over the whole step ({@code contrastive_batch: step}, GradCache
 * over {@code rows / micro} micro-batches). Each optimizer step generates every query's rationale
 * greedily: a random model rarely stops early, so rationales run to the token limit (forced
 * length).
 *
 * <p>Rows are synthetic text: 32-word queries and targets and oracle rationales of the rationale
 * length, drawn from 64 words of a word-level tokenizer (one token per word; no tokenizer files).
 * No images, no hard negatives. One warm-up step, then {@code steps} measured steps, each timed to
 * its update (the gradient norm is read on the host, which waits for the device).
 *
 * <p>Peak memory: on a GPU the device's used memory ({@link CudaUtils#getGpuMemory}, sampled every
 * 20 ms: PyTorch's allocator statistics are not exposed by DJL 0.36, so this counts the CUDA
 * context, the allocator's cached blocks and any other process on the card); on the CPU the
 * process's peak resident set ({@code VmHWM}).
 *
 * <p>Run: {@code java -cp ... io.rge.benchmarks.AdapterTrainBench CONFIG_JSON cpu|gpu
 * fp32|bf16|fp16 [stepRows 256] [micro 32] [steps 3] [rationaleTokens 32]}.
 */
public final class AdapterTrainBench {
  private static final int TEXT_WORDS = 32;
  private static final int VOCABULARY = 64;
  private static final double LR = 1e-4;
  private static final double MAX_GRAD_NORM = 1.0;

  private AdapterTrainBench() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length < 3) {
      throw new IllegalArgumentException(
          "usage: AdapterTrainBench CONFIG_JSON cpu|gpu fp32|bf16|fp16 [stepRows] [micro] [steps]"
              + " [rationaleTokens]");
    }
    Path configFile = Path.of(args[0]);
    DeviceChoice deviceChoice = DeviceChoice.parse(args[1]);
    int rows = args.length > 3 ? Integer.parseInt(args[3]) : 256;
    int micro = args.length > 4 ? Integer.parseInt(args[4]) : 32;
    int steps = args.length > 5 ? Integer.parseInt(args[5]) : 3;
    int rationaleTokens = args.length > 6 ? Integer.parseInt(args[6]) : 32;
    if (steps < 1 || micro < 1 || rationaleTokens < 1) {
      throw new IllegalArgumentException(
          "steps, micro-batch and rationale tokens must be >= 1, got "
              + steps
              + ", "
              + micro
              + ", "
              + rationaleTokens);
    }
    if (rows % micro != 0) {
      throw new IllegalArgumentException(
          "step rows " + rows + " must be a multiple of the micro-batch " + micro);
    }
    Qwen25VLConfig config = ModelConfigReader.read(configFile);
    ComputePrecision precision =
        PrecisionChoice.resolve(
            PrecisionChoice.parseOrAuto(args[2]), DjlEngine.device(deviceChoice));
    List<String> words = new ArrayList<>();
    for (int i = 0; i < VOCABULARY; i++) {
      words.add("w" + i);
    }
    TinyPreset preset = TinyPreset.create(words);
    long t0 = System.nanoTime();
    try (RgeModel model =
            RgeModel.load(
                LoadOptions.builder()
                    .setParts(
                        config,
                        preset.tokenizer(),
                        preset.imageProcessorConfig(),
                        new PatternWeights())
                    .optDevice(deviceChoice)
                    .optPrecision(precision)
                    .build());
        PeakMemory peak = PeakMemory.start(model.device())) {
      model.network().setActivationRecomputation(true);
      Adapters adapters =
          model.attachAdapters(
              new AdapterSettings(
                  AdapterSettings.Type.DORA, 16, 64, 0.1, AdapterSettings.RGE_TARGETS, false),
              42);
      System.out.printf(
          Locale.ROOT,
          "model %s (pattern weights) on %s, %s, built in %.1f s; DoRA r 16 alpha 64 on %s:"
              + " %d trainable parameters%n",
          configFile.getFileName(),
          model.device(),
          precision,
          (System.nanoTime() - t0) / 1e9,
          AdapterSettings.RGE_TARGETS,
          adapters.weights().stream().mapToLong(w -> w.value().size()).sum());
      System.out.printf(
          Locale.ROOT,
          "step: %d rows = %d micro-batches of %d, step-wide InfoNCE (GradCache), rationales of"
              + " %d tokens generated greedily, %d-word queries and targets%n",
          rows,
          rows / micro,
          micro,
          rationaleTokens,
          TEXT_WORDS);
      ObjectiveSettings settings =
          new ObjectiveSettings(
              ObjectiveMode.RGE,
              1.0,
              10.0,
              0.02,
              rationaleTokens,
              true,
              micro,
              Batching.CONTINUOUS);
      RgeObjective objective = new RgeObjective(model);
      SplittableRandom random = new SplittableRandom(3);
      try (MasterWeights masters = MasterWeights.of(adapters.weights(), model.manager());
          AdamW optimizer =
              new AdamW(masters.masters(), AdamWSettings.defaults(0.0), model.manager())) {
        LossScale lossScale =
            precision == ComputePrecision.FP16 ? LossScale.dynamic() : LossScale.none();
        double stepSeconds = 0;
        double generationSeconds = 0;
        for (int step = 0; step <= steps; step++) {
          List<List<TrainExample>> batches =
              microBatches(words, rows, micro, rationaleTokens, random);
          long start = System.nanoTime();
          StepLosses losses;
          double scale = lossScale.scale();
          adapters.setTraining(true); // adapter dropout
          try {
            losses = objective.step(batches, settings, ContrastiveBatch.STEP, scale);
          } finally {
            adapters.setTraining(false);
          }
          boolean skipped = update(model.manager(), masters, optimizer, losses, scale);
          lossScale = lossScale.after(skipped);
          double seconds = (System.nanoTime() - start) / 1e9;
          double generation = losses.generationNanos() / 1e9;
          System.out.printf(
              Locale.ROOT,
              "%s: %.2f s, generation %.2f s (%.0f%%), rationale tokens %.1f, loss %.4f (lm %.4f,"
                  + " InfoNCE %.4f)%s%n",
              step == 0 ? "warm-up step" : "step " + step,
              seconds,
              generation,
              100 * generation / seconds,
              losses.meanRationaleTokens(),
              losses.total(),
              losses.lm(),
              losses.contrastive(),
              skipped ? ", update skipped (non-finite at loss scale " + scale + ")" : "");
          if (step > 0) {
            stepSeconds += seconds;
            generationSeconds += generation;
          }
        }
        System.out.printf(
            Locale.ROOT,
            "seconds per optimizer step (%d rows, mean of %d after 1 warm-up): %.2f s%n",
            rows,
            steps,
            stepSeconds / steps);
        System.out.printf(
            Locale.ROOT,
            "generation share of a step: %.1f%% (%.2f s per step)%n",
            100 * generationSeconds / stepSeconds,
            generationSeconds / steps);
      }
      System.out.println(peak.summary());
    }
  }

  /** AdamW with global-norm clipping unless a loss or the norm is not finite; clears gradients. */
  private static boolean update(
      NDManager manager, MasterWeights masters, AdamW optimizer, StepLosses losses, double scale) {
    try (NDManager scope = manager.newSubManager()) {
      List<NDArray> gradients = masters.gradients(scope);
      double norm = losses.isFinite() ? GradientNorm.of(gradients, scope) / scale : Double.NaN;
      boolean skipped = !Double.isFinite(norm);
      if (!skipped) {
        optimizer.step(LR, GradientNorm.clipScale(norm, MAX_GRAD_NORM) / scale, gradients);
        masters.refresh();
      }
      return skipped;
    } finally {
      masters.clearGradients();
    }
  }

  private static List<List<TrainExample>> microBatches(
      List<String> words, int rows, int micro, int rationaleTokens, SplittableRandom random) {
    List<List<TrainExample>> out = new ArrayList<>();
    for (int b = 0; b < rows / micro; b++) {
      List<TrainExample> batch = new ArrayList<>(micro);
      for (int i = 0; i < micro; i++) {
        batch.add(
            new TrainExample(
                MultimodalInput.text(text(words, TEXT_WORDS, random)),
                text(words, rationaleTokens, random),
                MultimodalInput.text(text(words, TEXT_WORDS, random)),
                List.of()));
      }
      out.add(batch);
    }
    return out;
  }

  private static String text(List<String> words, int n, SplittableRandom random) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < n; i++) {
      s.append(i == 0 ? "" : " ").append(words.get(random.nextInt(words.size())));
    }
    return s.toString();
  }

  /**
   * The run's peak memory: a GPU's used bytes sampled on a daemon thread, or the process's {@code
   * VmHWM}.
   */
  private static final class PeakMemory implements AutoCloseable {
    private final Device device;
    private final AtomicLong peak = new AtomicLong();
    private final Thread sampler;
    private final long atStart;

    private PeakMemory(Device device) {
      this.device = device;
      this.atStart = device.isGpu() ? CudaUtils.getGpuMemory(device).getUsed() : 0;
      this.sampler =
          device.isGpu()
              ? new Thread(
                  () -> {
                    while (!Thread.currentThread().isInterrupted()) {
                      peak.accumulateAndGet(CudaUtils.getGpuMemory(device).getUsed(), Math::max);
                      try {
                        Thread.sleep(20);
                      } catch (InterruptedException e) {
                        return;
                      }
                    }
                  },
                  "gpu-memory-sampler")
              : null;
      if (sampler != null) {
        sampler.setDaemon(true);
        sampler.start();
      }
    }

    static PeakMemory start(Device device) {
      return new PeakMemory(device);
    }

    String summary() throws IOException {
      if (device.isGpu()) {
        peak.accumulateAndGet(CudaUtils.getGpuMemory(device).getUsed(), Math::max);
        return String.format(
            Locale.ROOT,
            "peak memory (GPU %s, device used incl. CUDA context and allocator cache, sampled"
                + " every 20 ms): %.2f GiB (%.2f GiB used after the model was built)",
            device,
            peak.get() / GIB,
            atStart / GIB);
      }
      long kib = -1;
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          kib = Long.parseLong(line.substring("VmHWM:".length()).replace("kB", "").trim());
        }
      }
      return String.format(
          Locale.ROOT,
          "peak memory (CPU, process VmHWM, JVM heap included): %.2f GiB",
          kib / GIB * 1024);
    }

    private static final double GIB = 1024.0 * 1024 * 1024;

    @Override
    public void close() throws InterruptedException {
      if (sampler != null) {
        sampler.interrupt();
        sampler.join();
      }
    }
  }
}
