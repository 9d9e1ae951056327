package io.rge.core.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.rge.core.DeviceChoice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  /**
   * The pattern for config records: required components are marked, optional ones are boxed and get
   * their defaults in the compact constructor, which also validates.
   */
  record TrainConfig(
      @JsonProperty(required = true) String name,
      @JsonProperty(required = true) Optimizer optimizer,
      String dataDir,
      List<Dataset> datasets,
      Integer seed,
      DeviceChoice device) {
    TrainConfig {
      dataDir = dataDir == null ? "data" : dataDir;
      datasets = datasets == null ? List.of() : List.copyOf(datasets);
      seed = seed == null ? 42 : seed;
      device = device == null ? DeviceChoice.AUTO : device;
    }
  }

  /** {@code lr} is primitive, hence required without an annotation. */
  record Optimizer(double lr, Double weightDecay, List<Integer> milestones) {
    Optimizer {
      if (!(lr > 0)) {
        throw new IllegalArgumentException("lr must be > 0, got " + lr);
      }
      weightDecay = weightDecay == null ? 0.0 : weightDecay;
      milestones = milestones == null ? List.of() : List.copyOf(milestones);
    }
  }

  record Dataset(@JsonProperty(required = true) String name, int[] sizes) {}

  private static final String VALID =
      """
      name: run1
      optimizer:
        lr: 0.001
        milestones: [10, 20]
      data_dir: images
      datasets:
        - name: MSCOCO
          sizes: [224, 224]
        - name: NIGHTS
      """;

  @TempDir Path dir;

  private Path write(String yaml) throws IOException {
    Path file = dir.resolve("train.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  private String failure(String yaml, String... overrides) throws IOException {
    Path file = write(yaml);
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> ConfigLoader.load(file, TrainConfig.class, List.of(overrides)));
    return e.getMessage();
  }

  @Test
  void bindsAValidFileAndAppliesDefaults() throws IOException {
    LoadedConfig<TrainConfig> loaded = ConfigLoader.load(write(VALID), TrainConfig.class);
    TrainConfig c = loaded.config();
    assertEquals("run1", c.name());
    assertEquals(0.001, c.optimizer().lr());
    assertEquals(0.0, c.optimizer().weightDecay(), "default from the compact constructor");
    assertEquals(List.of(10, 20), c.optimizer().milestones());
    assertEquals(42, c.seed());
    assertEquals(DeviceChoice.AUTO, c.device());
    assertEquals(2, c.datasets().size());
    assertArrayEquals(new int[] {224, 224}, c.datasets().get(0).sizes());
    assertEquals(null, c.datasets().get(1).sizes());
  }

  @Test
  void pathsResolveAgainstTheConfigFolder() throws IOException {
    LoadedConfig<TrainConfig> loaded = ConfigLoader.load(write(VALID), TrainConfig.class);
    Path folder = dir.toAbsolutePath();
    assertEquals(folder, loaded.folder());
    assertEquals(folder.resolve("images"), loaded.resolve(loaded.config().dataDir()));
    assertEquals(folder.getParent().resolve("up"), loaded.resolve("../up"));
    assertEquals(Path.of("/abs/data"), loaded.resolve("/abs/data"));
    assertThrows(IllegalArgumentException.class, () -> loaded.resolve(" "));
  }

  @Test
  void unknownKeyNamesFileLineColumnAndKnownKeys() throws IOException {
    String file = dir.resolve("train.yaml").toString();
    assertEquals(
        file
            + ":3:3: unknown key 'lr_rate' in 'optimizer'; known keys: [lr, milestones,"
            + " weight_decay]",
        failure(VALID.replace("  lr: 0.001", "  lr_rate: 0.001")));
    assertEquals(
        file
            + ":10:1: unknown key 'sed' at the top level; known keys: [data_dir, datasets,"
            + " device, name, optimizer, seed]",
        failure(VALID + "sed: 3\n"));
    assertEquals(
        file + ":10:5: unknown key 'size' in 'datasets[1]'; known keys: [name, sizes]",
        failure(VALID + "    size: [1]\n"));
  }

  @Test
  void missingRequiredFieldIsNamedByItsPath() throws IOException {
    String file = dir.resolve("train.yaml").toString();
    assertEquals(
        file + ": missing required field 'name'", failure(VALID.replace("name: run1\n", "")));
    // lr is primitive, so required; the location is that of the enclosing key.
    assertEquals(
        file + ":2:1: missing required field 'optimizer.lr'",
        failure(VALID.replace("  lr: 0.001\n", "")));
    assertEquals(
        file + ":9:5: missing required field 'datasets[1].name'",
        failure(VALID.replace("  - name: NIGHTS", "  - sizes: [1]")));
    assertEquals(
        file + ":1:1: required field 'name' is empty",
        failure(VALID.replace("name: run1", "name:")));
    assertEquals(file + ": missing required field 'optimizer'", failure("name: run1\n"));
  }

  @Test
  void nullForAPrimitiveFails() throws IOException {
    String file = dir.resolve("train.yaml").toString();
    assertEquals(
        file + ":3:3: 'optimizer.lr' must be a number (double), got null",
        failure(VALID.replace("lr: 0.001", "lr: ~")));
    assertEquals(
        file + ":8:18: 'datasets[0].sizes[1]' must be an integer (int), got null",
        failure(VALID.replace("[224, 224]", "[224, null]")));
  }

  @Test
  void wrongTypeNamesThePathAndTheExpectedType() throws IOException {
    String file = dir.resolve("train.yaml").toString();
    assertEquals(
        file + ":3:3: 'optimizer.lr' must be a number (double), got 'fast'",
        failure(VALID.replace("lr: 0.001", "lr: fast")));
    assertEquals(
        file + ":10:1: 'seed' must be an integer (Integer), got 1.5",
        failure(VALID + "seed: 1.5\n"));
    assertEquals(
        file + ":10:1: 'device' must be one of [cpu, gpu, auto], got 'tpu'",
        failure(VALID + "device: tpu\n"));
    assertEquals(
        file + ":2:1: 'optimizer' must be a mapping, got 3", failure("name: run1\noptimizer: 3\n"));
    assertEquals(
        file + ":4:3: 'optimizer.milestones' must be a list, got a mapping",
        failure(VALID.replace("[10, 20]", "{a: 1}")));
  }

  @Test
  void compactConstructorValidationIsReportedAtItsRecord() throws IOException {
    assertEquals(
        dir.resolve("train.yaml") + ":2:1: invalid 'optimizer': lr must be > 0, got -1.0",
        failure(VALID.replace("lr: 0.001", "lr: -1")));
  }

  @Test
  void overridesApplyBeforeValidationWithYamlTypes() throws IOException {
    Path file = write(VALID.replace("name: run1\n", ""));
    TrainConfig c =
        ConfigLoader.load(
                file,
                TrainConfig.class,
                List.of(
                    "name=run2",
                    "optimizer.lr=1e-4",
                    "optimizer.weight_decay=0.1",
                    "optimizer.milestones=[1, 2, 3]",
                    "datasets.1.name=CIRR",
                    "datasets.0.sizes=[8, 8]",
                    "seed=7",
                    "device=GPU"))
            .config();
    assertEquals("run2", c.name(), "an override can supply a required field");
    assertEquals(1e-4, c.optimizer().lr());
    assertEquals(0.1, c.optimizer().weightDecay());
    assertEquals(List.of(1, 2, 3), c.optimizer().milestones());
    assertEquals("CIRR", c.datasets().get(1).name());
    assertArrayEquals(new int[] {8, 8}, c.datasets().get(0).sizes());
    assertEquals(7, c.seed());
    assertEquals(DeviceChoice.GPU, c.device());
  }

  @Test
  void overrideCanFillAnAbsentSection() throws IOException {
    Path file = write("name: run1\n");
    TrainConfig c =
        ConfigLoader.load(file, TrainConfig.class, List.of("optimizer={lr: 0.5}")).config();
    assertEquals(0.5, c.optimizer().lr());
    TrainConfig d =
        ConfigLoader.load(file, TrainConfig.class, List.of("optimizer.lr=0.25")).config();
    assertEquals(0.25, d.optimizer().lr());
  }

  @Test
  void errorsCausedByAnOverrideNameIt() throws IOException {
    assertEquals(
        "--set optimizr.lr=1: unknown key 'optimizr' at the top level; known keys: [data_dir,"
            + " datasets, device, name, optimizer, seed]",
        failure(VALID, "optimizr.lr=1"));
    assertEquals(
        "--set optimizer.beta=0.9: unknown key 'beta' in 'optimizer'; known keys: [lr,"
            + " milestones, weight_decay]",
        failure(VALID, "optimizer.beta=0.9"));
    assertEquals(
        "--set optimizer.lr=abc: 'optimizer.lr' must be a number (double), got 'abc'",
        failure(VALID, "optimizer.lr=abc"));
    assertEquals(
        "--set name.first=x: 'name' is 'run1', not a mapping", failure(VALID, "name.first=x"));
    assertEquals(
        "--set datasets.5.name=x: 'datasets' has 2 entries; index 5 is out of range",
        failure(VALID, "datasets.5.name=x"));
  }

  @Test
  void malformedOverrideIsRejectedBeforeReading() throws IOException {
    assertEquals(
        "--set 'lr' is not KEY=VALUE (for example optimizer.lr=1e-4)", failure(VALID, "lr"));
    assertEquals(
        "--set '=3' is not KEY=VALUE (for example optimizer.lr=1e-4)", failure(VALID, "=3"));
    assertEquals(
        "--set 'optimizer..lr=3' has an empty key segment; write keys as a.b.c",
        failure(VALID, "optimizer..lr=3"));
    assertEquals(
        "--set 'seed=[1, 2': the value is not valid YAML: while parsing a flow sequence",
        failure(VALID, "seed=[1, 2"));
  }

  @Test
  void unreadableOrMalformedFilesAreNamed() throws IOException {
    String file = dir.resolve("train.yaml").toString();
    assertEquals(
        file + ":10:1: duplicate key 'name' (first at line 1)", failure(VALID + "name: again\n"));
    assertEquals(
        file + ":4:3: duplicate key 'lr' (first at line 3)",
        failure(VALID.replace("  milestones", "  lr: 2\n  milestones")));
    assertEquals(
        file + ":2:8: not valid YAML: mapping values are not allowed here",
        failure("name: run1\nseed: 3: 4\n"));
    assertEquals(file + ": the file is empty; expected a mapping of keys", failure("# nothing\n"));
    assertEquals(
        file + ": expected a mapping of keys at the top level, found a list",
        failure("- a\n- b\n"));
    Path missing = dir.resolve("nope.yaml");
    ConfigException e =
        assertThrows(ConfigException.class, () -> ConfigLoader.load(missing, TrainConfig.class));
    assertEquals("config file " + missing + " does not exist", e.getMessage());
  }
}
