package io.rge.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import io.rge.core.image.ImageProcessorConfig;
import io.rge.core.precision.ComputePrecision;
import io.rge.core.precision.PrecisionChoice;
import io.rge.core.preset.TinyOptions;
import io.rge.core.preset.TinyPreset;
import io.rge.core.qwen25vl.CheckpointWriter;
import io.rge.core.qwen25vl.ModelWeight;
import io.rge.core.qwen25vl.RandomWeights;
import io.rge.core.qwen25vl.Upcast;
import io.rge.core.safetensors.DType;
import io.rge.core.safetensors.SafetensorsFile;
import io.rge.core.tokenizer.QwenTokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A BF16 checkpoint loads straight into a bf16 model, tensor by tensor: at no moment does the
 * process hold an fp32 copy of the whole model. A random-weight model of 90 M parameters (text 1024
 * wide, 8 layers, MLP 2816: 180 MB in bf16, 360 MB in fp32) is written as BF16 without ever being
 * in native memory, then loaded in bf16 while a thread samples the process's anonymous resident
 * memory ({@code RssAnon}) every millisecond.
 *
 * <p>Maven runs this test in a JVM with a fixed, pre-touched heap and {@code
 * MALLOC_MMAP_THRESHOLD_} pinned (rge-core's pom, execution {@code native-memory}), so the heap
 * cannot grow and every large native block is returned to the system when freed: the sampled growth
 * is the native memory the load holds. The bound is the bf16 model plus four fp32 copies of its
 * largest tensor (the float[] read, its fp32 array, slack for the allocator) plus 64 MiB; an fp32
 * copy of the whole model on top of the bf16 one exceeds it by far.
 */
@Tag("bf16")
class Bf16CheckpointLoadTest {
  private static final Logger LOG = LoggerFactory.getLogger(Bf16CheckpointLoadTest.class);
  private static final long MIB = 1 << 20;

  @TempDir static Path dir;

  @BeforeAll
  static void bf16JniLoaded() {
    DjlEngine.get();
    // Throws, naming scripts/build-djl-jni, before any bf16 array exists on a stock library.
    PrecisionChoice.resolve(ComputePrecision.BF16, Device.cpu());
  }

  @Test
  void aBf16CheckpointLoadsIntoBf16WithoutAnFp32CopyOfTheModel() throws Exception {
    TinyPreset preset =
        TinyPreset.create(
            List.of("a red square left of a blue circle"),
            TinyOptions.builder()
                .text(1024, 2816, 8, 8, 2, List.of(16, 24, 24))
                .vision(1, 16, 32, 1, List.of(0))
                .build());
    Path checkpoint = dir.resolve("bf16-checkpoint");
    Files.createDirectories(checkpoint);
    CheckpointWriter.writeInto(
        checkpoint,
        preset.config(),
        new RandomWeights(7, 0.02),
        DType.BF16,
        CheckpointWriter.DEFAULT_MAX_SHARD_BYTES);
    preset.tokenizer().save(checkpoint.resolve(QwenTokenizer.FILE_NAME));
    Files.writeString(
        checkpoint.resolve(ImageProcessorConfig.FILE_NAME),
        preset.imageProcessorConfig().toJson(),
        StandardCharsets.UTF_8);

    System.gc();
    long before = rssAnonKb();
    AtomicLong peak = new AtomicLong(before);
    AtomicBoolean loading = new AtomicBoolean(true);
    Thread sampler =
        new Thread(
            () -> {
              while (loading.get()) {
                peak.accumulateAndGet(rssAnonKb(), Math::max);
                try {
                  Thread.sleep(1);
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
    sampler.start();
    long parameters;
    long largest;
    try (RgeModel model =
        RgeModel.load(
            LoadOptions.builder()
                .setModel(checkpoint)
                .optDevice(DeviceChoice.CPU)
                .optPrecision(ComputePrecision.BF16)
                .build())) {
      loading.set(false);
      sampler.join();
      peak.accumulateAndGet(rssAnonKb(), Math::max);
      parameters = 0;
      largest = 0;
      for (ModelWeight w : model.network().weights().all()) {
        assertEquals(DataType.BFLOAT16, w.value().getDataType(), w.name());
        parameters += w.value().size();
        largest = Math.max(largest, w.value().size());
      }
      // The values are the checkpoint's: bf16 to fp32 is exact both ways.
      String down = "model.layers.3.mlp.down_proj.weight";
      try (SafetensorsFile file = SafetensorsFile.open(checkpoint.resolve("model.safetensors"))) {
        assertEquals(DType.BF16, file.info(down).dtype());
        assertArrayEquals(
            file.readFloats(down), Upcast.hostFloats(model.network().weights().get(down).value()));
      }
    }
    long grownBytes = (peak.get() - before) * 1024;
    long bf16Bytes = 2 * parameters;
    long bound = bf16Bytes + 4 * 4 * largest + 64 * MIB;
    LOG.info(
        "bf16 load of {} parameters: peak RssAnon growth {} MiB; the bf16 model {} MiB, its fp32"
            + " copy {} MiB, largest tensor {} MiB in fp32; bound {} MiB",
        parameters,
        grownBytes / MIB,
        bf16Bytes / MIB,
        2 * bf16Bytes / MIB,
        4 * largest / MIB,
        bound / MIB);
    assertTrue(parameters > 80_000_000L, parameters + " parameters");
    assertTrue(
        grownBytes < bound,
        "loading a "
            + bf16Bytes / MIB
            + " MiB bf16 model held "
            + grownBytes / MIB
            + " MiB at its peak (bound "
            + bound / MIB
            + " MiB; an fp32 copy of the model is "
            + 2 * bf16Bytes / MIB
            + " MiB)");
  }

  /** The process's anonymous resident memory, kB ({@code RssAnon} in /proc/self/status). */
  private static long rssAnonKb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("RssAnon:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    throw new IllegalStateException("/proc/self/status has no RssAnon line");
  }
}
