package io.rge.training.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rge.core.DeviceChoice;
import io.rge.core.adapters.AdapterSettings;
import io.rge.core.config.ConfigException;
import io.rge.core.generation.GenerationSettings.Batching;
import io.rge.core.precision.ComputePrecision;
import io.rge.data.images.MissingImagePolicy;
import io.rge.data.mixture.BatchMode;
import io.rge.data.rationale.MissingRationalePolicy;
import io.rge.training.objective.ContrastiveBatch;
import io.rge.training.objective.ObjectiveMode;
import io.rge.training.optim.TrainableParts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainConfigTest {
  /** The repository's configs/ folder (tests run in the module folder). */
  private static final Path CONFIGS = Path.of("..", "configs").toAbsolutePath().normalize();

  private static final String MINIMAL =
      """
      model:
        preset: tiny
      data:
        train_root: synth/train
        images: [synth/images]
      optimizer:
        lr: 1.0e-3
      schedule:
        total_steps: 20
      batch_size: 4
      output: runs/a
      """;

  @TempDir Path dir;

  private Path write(String yaml) throws IOException {
    Path file = dir.resolve("train.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  private String failure(String yaml, String... overrides) throws IOException {
    Path file = write(yaml);
    return assertThrows(ConfigException.class, () -> TrainConfig.load(file, List.of(overrides)))
        .getMessage();
  }

  @Test
  void minimalConfigGetsDefaultsAndPathsRelativeToTheFile() throws IOException {
    TrainConfig c = TrainConfig.load(write(MINIMAL));
    Path folder = dir.toAbsolutePath();
    assertEquals(folder.resolve("synth/train").toString(), c.data().trainRoot());
    assertEquals(List.of(folder.resolve("synth/images").toString()), c.data().images());
    assertEquals(folder.resolve("runs/a").toString(), c.output());
    assertNull(c.data().rationales());
    assertEquals(ObjectiveMode.RGE, c.objectiveSettings().mode());
    assertEquals(10.0, c.objectiveSettings().contrastiveWeight());
    assertEquals(0.02, c.objectiveSettings().temperature());
    assertEquals(128, c.objectiveSettings().maxNewTokens());
    assertEquals(0, c.objective().lmWarmupSteps());
    assertEquals(Batching.CONTINUOUS, c.objectiveSettings().generationBatching());
    assertEquals(List.of(0.9, 0.999), List.of(c.adamW().beta1(), c.adamW().beta2()));
    assertEquals(1.0, c.optimizer().maxGradNorm());
    assertEquals(1, c.gradientAccumulation());
    assertEquals(TrainableParts.ALL, c.trainable());
    assertEquals(DeviceChoice.AUTO, c.device());
    assertNull(c.precision(), "auto");
    assertEquals(false, c.activationCheckpointing());
    assertEquals(42L, c.seed());
    assertEquals(5, c.maxConsecutiveSkips());
    assertEquals(MissingRationalePolicy.CONTRASTIVE_ONLY, c.data().missingRationale());
    assertEquals(MissingImagePolicy.FAIL, c.data().missingImage());
    assertEquals(BatchMode.MIXED, c.data().batchMode());
    assertEquals(20, c.schedule().steps(1000, 1));
  }

  @Test
  void visionFromResolvesAgainstTheFileAndNeedsThePreset() throws IOException {
    assertNull(TrainConfig.load(write(MINIMAL)).model().visionFrom());
    TrainConfig c =
        TrainConfig.load(
            write(
                MINIMAL.replace("  preset: tiny\n", "  preset: tiny\n  vision_from: pre/ckpt\n")));
    assertEquals(dir.toAbsolutePath().resolve("pre/ckpt").toString(), c.model().visionFrom());
    assertTrue(
        failure(MINIMAL.replace("  preset: tiny\n", "  path: models/x\n  vision_from: pre/ckpt\n"))
            .contains("vision_from is only used with preset: tiny"));
  }

  @Test
  void overridesAndEnumsInSnakeCase() throws IOException {
    TrainConfig c =
        TrainConfig.load(
            write(MINIMAL),
            List.of(
                "objective.mode=oracle-leak",
                "trainable=freeze_vision",
                "data.missing_image=skip_row",
                "data.batch_mode=per_subset",
                "optimizer.betas=[0.8, 0.99]",
                "device=cpu",
                "objective.generation_batching=STATIC"));
    assertEquals(ObjectiveMode.ORACLE_LEAK, c.objectiveSettings().mode());
    assertEquals(Batching.STATIC, c.objectiveSettings().generation().batching());
    assertEquals(TrainableParts.FREEZE_VISION, c.trainable());
    assertEquals(MissingImagePolicy.SKIP_ROW, c.data().missingImage());
    assertEquals(BatchMode.PER_SUBSET, c.data().batchMode());
    assertEquals(0.8, c.adamW().beta1());
    assertEquals(DeviceChoice.CPU, c.device());
  }

  @Test
  void unknownKeyNamesFileLineAndColumn() throws IOException {
    String file = dir.resolve("train.yaml").toString();
    assertEquals(
        file
            + ":8:3: unknown key 'lr_rate' in 'optimizer'; known keys: [betas, eps, lr,"
            + " max_grad_norm, weight_decay]",
        failure(MINIMAL.replace("  lr: 1.0e-3", "  lr: 1.0e-3\n  lr_rate: 2")));
    assertTrue(
        failure(MINIMAL + "batch: 3\n")
            .startsWith(file + ":12:1: unknown key 'batch' at the top level"));
  }

  @Test
  void missingRequiredFieldsAreNamed() throws IOException {
    String file = dir.resolve("train.yaml").toString();
    assertEquals(
        file + ": missing required field 'batch_size'",
        failure(MINIMAL.replace("batch_size: 4\n", "")));
    assertEquals(
        file + ":6:1: missing required field 'optimizer.lr'",
        failure(MINIMAL.replace("  lr: 1.0e-3", "  eps: 1.0e-8")));
    assertEquals(
        file + ": missing required field 'output'",
        failure(MINIMAL.replace("output: runs/a\n", "")));
  }

  @Test
  void badValuesAreExplainedAtTheirSection() throws IOException {
    String file = dir.resolve("train.yaml").toString();
    assertEquals(
        file
            + ":12:1: invalid 'objective': objective mode 'leaky' is not one of rge, baseline,"
            + " oracle-leak",
        failure(MINIMAL + "objective:\n  mode: leaky\n"));
    assertTrue(
        failure(MINIMAL + "precision: half\n")
            .contains("precision 'half' is not one of fp32, bf16, fp16 (or auto)"));
    assertTrue(
        failure(MINIMAL, "schedule.epochs=1")
            .contains("give exactly one of total_steps and epochs"));
    assertTrue(
        failure(MINIMAL, "model.path=models/x").contains("give exactly one of path and preset"));
    assertTrue(failure(MINIMAL, "model.preset=huge").contains("preset 'huge' is unknown"));
    assertTrue(
        failure(MINIMAL, "trainable=vision")
            .contains(
                "'trainable' must be one of [all, decoder_only, freeze_vision], got 'vision'"));
    assertTrue(failure(MINIMAL, "batch_size=0").contains("batch_size must be >= 1"));
    assertTrue(failure(MINIMAL, "objective={temperature: 0}").contains("temperature must be > 0"));
    assertTrue(
        failure(MINIMAL, "objective.generation_batching=dynamic")
            .contains("generation batching must be static or continuous, got dynamic"));
  }

  @Test
  void thePaperRecipeParses() {
    TrainConfig c = TrainConfig.load(CONFIGS.resolve("train-qwen25vl-3b-mmeb.yaml"));
    assertEquals(
        CONFIGS.getParent().resolve("models/Qwen2.5-VL-3B-Instruct").toString(), c.model().path());
    assertEquals(20, c.data().subsets().size());
    assertEquals(50_000L, c.data().capPerSubset());
    assertEquals("images", c.data().imagePrefix());
    assertEquals(256, c.batchSize() * c.gradientAccumulation());
    assertEquals(2e-5, c.optimizer().lr());
    assertEquals(ObjectiveMode.RGE, c.objectiveSettings().mode());
    assertEquals(0.02, c.objectiveSettings().temperature());
    assertEquals(10.0, c.objectiveSettings().contrastiveWeight());
    assertEquals(1.0, c.schedule().epochs());
    assertEquals(DeviceChoice.GPU, c.device());
    // 1 epoch of 1000 micro-batches, 8 per step
    assertEquals(125, c.schedule().steps(1000, c.gradientAccumulation()));
    assertEquals(ContrastiveBatch.STEP, c.contrastiveBatch(), "one InfoNCE over all 256 rows");
    assertNull(c.adapters());
    assertEquals(ComputePrecision.BF16, c.precision());
    assertTrue(c.activationCheckpointing());
  }

  @Test
  void thePaperDoraRecipeParsesWithRgeCodesAdapterSettings() throws IOException {
    TrainConfig c = TrainConfig.load(CONFIGS.resolve("train-qwen25vl-3b-mmeb-dora.yaml"));
    assertEquals(
        new AdapterSettings(
            AdapterSettings.Type.DORA, 16, 64, 0.1, AdapterSettings.RGE_TARGETS, false),
        c.adapters());
    assertEquals(AdapterSettings.rge(), c.adapters());
    assertEquals(ComputePrecision.BF16, c.precision());
    assertTrue(c.activationCheckpointing());
    assertEquals(ContrastiveBatch.STEP, c.contrastiveBatch());
    assertEquals(256, c.batchSize() * c.gradientAccumulation());
    assertTrue(
        failure(MINIMAL, "adapters={type: dora}", "trainable=decoder_only")
            .contains("does not go with adapters"));
    assertTrue(failure(MINIMAL, "adapters={type: dora, r: 0}").contains("adapters.r must be >= 1"));
  }

  @Test
  void everyShippedTrainingConfigWritesYamlThatLoadsBackEqual() throws IOException {
    List<Path> configs;
    try (Stream<Path> files = Files.list(CONFIGS)) {
      configs =
          files
              .filter(f -> f.getFileName().toString().matches("(train|perception)-.*\\.yaml"))
              .sorted()
              .toList();
    }
    assertEquals(4, configs.size(), "the shipped training configs: " + configs);
    for (Path file : configs) {
      TrainConfig loaded = TrainConfig.load(file);
      Path written = Files.writeString(dir.resolve(file.getFileName()), loaded.toYaml());
      assertEquals(loaded, TrainConfig.load(written), file.getFileName().toString());
    }
  }

  @Test
  void theRecipeInCodeIsTheTinySynthConfig() throws IOException {
    // The recipe written by tinySynth and read back is the file as shipped.
    Path root = CONFIGS.getParent();
    TrainConfig recipe =
        TrainConfig.tinySynth(
            root.resolve("data/rge-synth"),
            root.resolve("runs/tiny-synth"),
            ObjectiveMode.RGE,
            200);
    Path written = Files.writeString(dir.resolve("tiny.yaml"), recipe.toYaml());
    assertEquals(
        TrainConfig.load(CONFIGS.resolve("train-tiny-synth.yaml")), TrainConfig.load(written));
  }

  @Test
  void precisionIsParsedOnceWithOneLineErrorsNamingTheKey() throws IOException {
    assertEquals(
        ComputePrecision.FP16,
        TrainConfig.load(write(MINIMAL + "precision: ' FP16 '\n")).precision());
    assertNull(TrainConfig.load(write(MINIMAL + "precision: auto\n")).precision());
    String file = dir.resolve("train.yaml").toString();
    String message = failure(MINIMAL + "precision: fp64\n");
    assertEquals(
        file + ":12:1: 'precision': precision 'fp64' is not one of fp32, bf16, fp16 (or auto)",
        message);
    assertEquals(1, message.lines().count());
  }

  @Test
  void deviceIsTheOneEntryFormOfDevices() throws IOException {
    TrainConfig gpu = TrainConfig.load(write(MINIMAL + "device: gpu\n"));
    assertEquals(List.of("gpu0"), gpu.devices().entries());
    assertEquals(gpu, TrainConfig.load(write(MINIMAL + "devices: [gpu]\n")));
    assertEquals(gpu, TrainConfig.load(write(MINIMAL + "devices: GPU0\n")));
    assertEquals(List.of("auto"), TrainConfig.load(write(MINIMAL)).devices().entries());
    TrainConfig cpus = TrainConfig.load(write(MINIMAL + "device: cpu\ndevices: [cpu, cpu]\n"));
    assertEquals(List.of("cpu", "cpu"), cpus.devices().entries());
    assertEquals(DeviceChoice.CPU, cpus.device());
    String file = dir.resolve("train.yaml").toString();
    assertEquals(
        file + ":12:1: 'device' must be one of [cpu, gpu, auto], got 'tpu'",
        failure(MINIMAL + "device: tpu\n"));
    assertEquals(
        file
            + ": invalid configuration: device: gpu does not match devices: [cpu, cpu], whose"
            + " first entry holds the lead replica; give one of them",
        failure(MINIMAL + "devices: [cpu, cpu]\n", "device=gpu"));
    assertEquals(
        file
            + ": invalid configuration: devices: 'tpu0' is not cpu, gpu<N> (gpu0, gpu1, ...) or all",
        failure(MINIMAL + "devices: [cpu, tpu0]\n"));
  }
}
