package io.rge.core.qwen25vl;

import io.rge.core.safetensors.SafetensorsFile;
import io.rge.testfixtures.TestFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Fixture locations and small hand-made models shared by the checkpoint tests. */
final class TestCheckpoints {
  private TestCheckpoints() {}

  /** The flat-layout tiny model (transformers ground truth). */
  static Path tinyDir() {
    return TestFixtures.tinyModel();
  }

  /** The same model as transformers 5 saves it. */
  static Path tinyV5Dir() {
    return TestFixtures.file("qwen25vl-tiny/hf_v5_format");
  }

  /** Every tensor of a safetensors file as floats, keyed by its stored name. */
  static Map<String, float[]> floatsOf(Path safetensors) throws Exception {
    Map<String, float[]> out = new TreeMap<>();
    try (SafetensorsFile f = SafetensorsFile.open(safetensors)) {
      for (String name : f.names()) {
        out.put(name, f.readFloats(name));
      }
    }
    return out;
  }

  /** Shapes of a safetensors file's tensors. */
  static Map<String, long[]> shapesOf(Path safetensors) throws Exception {
    Map<String, long[]> out = new TreeMap<>();
    try (SafetensorsFile f = SafetensorsFile.open(safetensors)) {
      for (String name : f.names()) {
        out.put(name, f.info(name).shape());
      }
    }
    return out;
  }

  /**
   * A very small valid config: vocab 6, hidden 8 (2 heads of 4, one KV head), one decoder layer,
   * one vision block of width 8.
   */
  static Qwen25VLConfig smallConfig(boolean tied) {
    TextConfig text = new TextConfig(6, 8, 4, 1, 2, 1, 1e-6, 1e6, List.of(0, 1, 1), 64, "silu");
    VisionConfig vision =
        new VisionConfig(1, 8, 4, 2, 3, 8, 2, 2, 2, 4, List.of(0), 2, "silu", 10000.0);
    SpecialTokenIds ids = new SpecialTokenIds(0, 1, 2, 3, 4, 5, 5);
    return new Qwen25VLConfig(text, vision, ids, tied);
  }

  /** Deterministic distinct values for every weight of {@code config}. */
  static Map<String, float[]> weightsFor(Qwen25VLConfig config) {
    Map<String, float[]> out = new TreeMap<>();
    int t = 0;
    for (Map.Entry<String, long[]> e : CheckpointLayout.expectedShapes(config).entrySet()) {
      long n = 1;
      for (long d : e.getValue()) {
        n *= d;
      }
      float[] v = new float[(int) n];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) Math.sin(0.37 * i + t) * 0.5f;
      }
      out.put(e.getKey(), v);
      t++;
    }
    return out;
  }

  /** Weights held in a map as the source a model or a checkpoint writer reads from. */
  static WeightSource sourceOf(Map<String, float[]> values) {
    return (name, shape) -> {
      float[] v = values.get(name);
      if (v == null) {
        throw new CheckpointException("no tensor '" + name + "'");
      }
      return v;
    };
  }

  /**
   * Every tensor of a checkpoint folder through the production path ({@link WeightLoader#open},
   * then {@link CheckpointWeights#floats} one tensor at a time), by canonical name.
   */
  static Map<String, float[]> load(
      Path dir, Qwen25VLConfig config, WeightLoader.Strictness strictness) throws Exception {
    Map<String, float[]> out = new TreeMap<>();
    try (CheckpointWeights weights = WeightLoader.open(dir, config, strictness)) {
      for (String name : weights.names()) {
        out.put(name, weights.floats(name, weights.shape(name)));
      }
    }
    return out;
  }

  /** {@link #load} in strict mode. */
  static Map<String, float[]> load(Path dir, Qwen25VLConfig config) throws Exception {
    return load(dir, config, WeightLoader.Strictness.STRICT);
  }

  static void copyConfig(Path fromDir, Path toDir) throws Exception {
    Files.createDirectories(toDir);
    Files.copy(fromDir.resolve("config.json"), toDir.resolve("config.json"));
  }
}
