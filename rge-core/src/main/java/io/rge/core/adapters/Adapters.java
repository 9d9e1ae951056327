package io.rge.core.adapters;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rge.core.files.AtomicFiles;
import io.rge.core.qwen25vl.CheckpointLayout;
import io.rge.core.qwen25vl.CheckpointPart;
import io.rge.core.qwen25vl.ModelWeight;
import io.rge.core.qwen25vl.Qwen25VLModel;
import io.rge.core.qwen25vl.Scalars;
import io.rge.core.qwen25vl.WeightSource;
import io.rge.core.safetensors.SafetensorsFile;
import io.rge.core.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * LoRA / DoRA adapters installed on a model's linear layers, plus a trainable row for the {@code
 * <emb>} token beside the frozen embedding matrix: the trainable weights of an adapter run, in
 * fp32, saved in PEFT's format ({@value #CONFIG_FILE} and {@value #WEIGHTS_FILE}, keys {@code
 * base_model.model.<module>.lora_A.weight}, {@code .lora_B.weight}, {@code .lora_magnitude_vector},
 * and {@code ...embed_tokens.token_adapter.trainable_tokens_delta}) so that {@code
 * PeftModel.from_pretrained} loads them on the same base.
 *
 * <p>Module paths are written as transformers ≥ 4.52 names them in memory ({@code
 * model.language_model.layers.N...}, {@code model.visual.blocks.N...}); both those and the older
 * {@code model.layers.N...} / {@code visual.blocks.N...} are read.
 */
public final class Adapters {
  public static final String CONFIG_FILE = "adapter_config.json";
  public static final String WEIGHTS_FILE = "adapter_model.safetensors";

  private static final String PREFIX = "base_model.model.";
  private static final String EMB_ROW_SUFFIX = ".token_adapter.trainable_tokens_delta";
  private static final String EMB_ROW =
      PREFIX
          + CheckpointLayout.transformers5Name(CheckpointLayout.EMBED_TOKENS_MODULE)
          + EMB_ROW_SUFFIX;
  private static final String EMB_ROW_V4 =
      PREFIX + CheckpointLayout.EMBED_TOKENS_MODULE + EMB_ROW_SUFFIX;
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** One adapted module: its rows of a base weight and its adapter arrays. */
  private record Module(
      String canonical, ModelWeight base, CheckpointPart part, LowRankAdapter.Part arrays) {}

  private final Qwen25VLModel network;
  private final AdapterSettings settings;
  private final int embToken;
  private final List<Module> modules;
  private final NDArray embRow; // [hidden]
  private final List<ModelWeight> weights;
  private boolean training;

  private Adapters(
      Qwen25VLModel network,
      AdapterSettings settings,
      int embToken,
      List<Module> modules,
      NDArray embRow) {
    this.network = network;
    this.settings = settings;
    this.embToken = embToken;
    this.modules = List.copyOf(modules);
    this.embRow = embRow;
    List<ModelWeight> all = new ArrayList<>();
    for (Module m : modules) {
      String key = PREFIX + CheckpointLayout.transformers5Name(m.canonical());
      all.add(weight(key + ".lora_A.weight", m.arrays().a(), true));
      all.add(weight(key + ".lora_B.weight", m.arrays().b(), true));
      if (m.arrays().magnitude() != null) {
        all.add(weight(key + ".lora_magnitude_vector", m.arrays().magnitude(), true));
      }
    }
    all.add(weight(EMB_ROW, embRow, false));
    this.weights = List.copyOf(all);
  }

  /**
   * Fresh adapters on {@code network}: A ~ N(0, 1/r) (PEFT's {@code init_lora_weights="gaussian"},
   * from {@code seed}), B = 0, DoRA's magnitude = ‖W‖ per row, the {@code <emb>} row = its current
   * embedding row; so the model computes exactly what it computed before. The base weights are
   * frozen; {@link #weights()} are the trainable ones.
   */
  public static Adapters attach(
      Qwen25VLModel network, AdapterSettings settings, int embToken, long seed) {
    NDManager manager = network.manager();
    Random random = new Random(seed);
    List<Module> modules = new ArrayList<>();
    for (Target t : targets(network, settings)) {
      long in = t.part().shape()[1];
      float[] a = new float[(int) (settings.r() * in)];
      for (int i = 0; i < a.length; i++) {
        a[i] = (float) (random.nextGaussian() / settings.r());
      }
      NDArray aArray = manager.create(a, new Shape(settings.r(), in));
      NDArray bArray = manager.zeros(new Shape(t.part().rows(), settings.r()));
      NDArray magnitude = null;
      if (settings.type() == AdapterSettings.Type.DORA) {
        try (NDManager temps = manager.newSubManager()) {
          NDArray w = t.base().value().get(t.rows());
          w.attach(temps);
          magnitude = LowRankAdapter.rowNorms(w, bArray, aArray, (float) settings.scale(), temps);
          magnitude.attach(manager);
        }
      }
      modules.add(
          new Module(
              t.canonical(),
              t.base(),
              t.part(),
              new LowRankAdapter.Part(
                  t.part().rowOffset(), t.part().rows(), aArray, bArray, magnitude)));
    }
    NDArray row = embeddingRow(network, embToken);
    Adapters adapters = new Adapters(network, settings, embToken, modules, row);
    adapters.install();
    return adapters;
  }

  /**
   * Adapters read from a PEFT folder ({@value #CONFIG_FILE}, {@value #WEIGHTS_FILE}) and installed
   * on {@code network}; every tensor must name a module of this model with the right shape.
   */
  public static Adapters load(Qwen25VLModel network, Path dir, int embToken) throws IOException {
    Path configFile = dir.resolve(CONFIG_FILE);
    if (!Files.isRegularFile(configFile)) {
      throw new IOException(dir + ": no " + CONFIG_FILE + " (not a PEFT adapter folder)");
    }
    JsonNode config = JSON.readTree(configFile.toFile());
    String peftType = config.path("peft_type").asText("");
    if (!peftType.equals("LORA")) {
      throw new IOException(configFile + ": peft_type '" + peftType + "', expected LORA");
    }
    NDManager manager = network.manager();
    try (SafetensorsFile file = SafetensorsFile.open(dir.resolve(WEIGHTS_FILE))) {
      Set<String> unused = new TreeSet<>(file.names());
      Set<String> targets = new LinkedHashSet<>();
      boolean vision = false;
      for (String key : file.names()) {
        if (key.endsWith(".lora_A.weight")) {
          String module = CheckpointLayout.canonicalName(module(key, ".lora_A.weight"));
          targets.add(module.substring(module.lastIndexOf('.') + 1));
          vision |= module.startsWith(CheckpointLayout.VISION_PREFIX);
        }
      }
      AdapterSettings settings =
          new AdapterSettings(
              config.path("use_dora").asBoolean(false)
                  ? AdapterSettings.Type.DORA
                  : AdapterSettings.Type.LORA,
              config.path("r").asInt(0),
              config.path("lora_alpha").asDouble(0),
              config.path("lora_dropout").asDouble(0),
              new ArrayList<>(targets),
              vision);
      List<Module> modules = new ArrayList<>();
      for (Target t : targets(network, settings)) {
        String key = PREFIX + CheckpointLayout.transformers5Name(t.canonical());
        if (!file.contains(key + ".lora_A.weight")) {
          key = PREFIX + t.canonical();
        }
        if (!file.contains(key + ".lora_A.weight")) {
          continue; // PEFT matched this name but the file has no adapter for it
        }
        long in = t.part().shape()[1];
        NDArray a = read(file, key + ".lora_A.weight", manager, settings.r(), in);
        NDArray b = read(file, key + ".lora_B.weight", manager, t.part().rows(), settings.r());
        NDArray m =
            settings.type() == AdapterSettings.Type.DORA
                ? read(file, key + ".lora_magnitude_vector", manager, t.part().rows())
                : null;
        unused.remove(key + ".lora_A.weight");
        unused.remove(key + ".lora_B.weight");
        unused.remove(key + ".lora_magnitude_vector");
        modules.add(
            new Module(
                t.canonical(),
                t.base(),
                t.part(),
                new LowRankAdapter.Part(t.part().rowOffset(), t.part().rows(), a, b, m)));
      }
      NDArray row;
      String rowKey = file.contains(EMB_ROW) ? EMB_ROW : EMB_ROW_V4;
      if (file.contains(rowKey)) {
        long hidden = network.config().text().hiddenSize();
        row = read(file, rowKey, manager, 1, hidden).reshape(hidden);
        unused.remove(rowKey);
      } else {
        row = embeddingRow(network, embToken);
      }
      if (!unused.isEmpty()) {
        throw new IOException(
            dir.resolve(WEIGHTS_FILE)
                + ": tensors that name no adapted module of this model: "
                + unused.stream().limit(5).toList());
      }
      Adapters adapters = new Adapters(network, settings, embToken, modules, row);
      adapters.install();
      return adapters;
    }
  }

  /**
   * The trainable arrays (fp32), named by their PEFT keys: A, B, DoRA magnitudes, {@code <emb>}.
   */
  public List<ModelWeight> weights() {
    return weights;
  }

  public AdapterSettings settings() {
    return settings;
  }

  /** Turns the adapters' dropout on (training) or off. */
  public void setTraining(boolean training) {
    this.training = training;
  }

  /**
   * Writes {@value #CONFIG_FILE} and {@value #WEIGHTS_FILE} into {@code dir} (created if need be).
   */
  public void save(Path dir) throws IOException {
    Files.createDirectories(dir);
    SafetensorsWriter writer = new SafetensorsWriter();
    for (ModelWeight w : weights) {
      long[] shape =
          w.name().equals(EMB_ROW) ? new long[] {1, embRow.size()} : w.parts().get(0).shape();
      writer.addFloats(w.name(), shape, w.value().toFloatArray());
    }
    writer.write(dir.resolve(WEIGHTS_FILE)); // atomic
    ObjectNode config = JSON.createObjectNode();
    config.put("peft_type", "LORA");
    config.putNull("task_type");
    config.putNull("base_model_name_or_path");
    config.put("r", settings.r());
    config.put("lora_alpha", settings.alpha());
    config.put("lora_dropout", settings.dropout());
    config.put("use_dora", settings.type() == AdapterSettings.Type.DORA);
    config.put("use_rslora", false);
    config.put("target_modules", targetPattern());
    config.put("bias", "none");
    config.put("fan_in_fan_out", false);
    config.put("init_lora_weights", "gaussian");
    config.putNull("modules_to_save");
    config.putObject("trainable_token_indices").putArray("embed_tokens").add(embToken);
    config.put("inference_mode", true);
    String text = JSON.writeValueAsString(config) + "\n";
    AtomicFiles.write(dir.resolve(CONFIG_FILE), text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The base model's tensors with the adapters merged in (a plain checkpoint that needs no PEFT):
   * LoRA {@code W + s·B A}; DoRA {@code m / ‖W + s·B A‖ · (W + s·B A)} per row, as PEFT's {@code
   * merge_and_unload}; the {@code <emb>} row written into the embedding (and into the LM head only
   * where the head is the embedding, tied).
   */
  public WeightSource merged(WeightSource base) {
    Map<String, Module> byPart = new LinkedHashMap<>();
    modules.forEach(m -> byPart.put(m.part().name(), m));
    int hidden = network.config().text().hiddenSize();
    return (name, shape) -> {
      float[] values = base.floats(name, shape);
      if (name.equals(CheckpointLayout.EMBED_TOKENS)) {
        System.arraycopy(embRow.toFloatArray(), 0, values, embToken * hidden, hidden);
        return values;
      }
      Module m = byPart.get(name);
      if (m == null) {
        return values;
      }
      try (NDManager temps = network.manager().newSubManager()) {
        LowRankAdapter.Part p = m.arrays();
        NDArray w = temps.create(values, new Shape(shape));
        NDArray update = p.b().matMul(p.a());
        update.attach(temps);
        NDArray merged = w.add(update.mul(Scalars.constant(temps, (float) settings.scale())));
        if (p.magnitude() != null) {
          NDArray norms = merged.norm(new int[] {1}, true); // [rows, 1]
          NDArray factor = p.magnitude().expandDims(1);
          factor.attach(temps);
          merged = factor.div(norms).mul(merged);
        }
        return merged.toFloatArray();
      }
    };
  }

  /** Routes each adapted linear layer through its adapter, and the {@code <emb>} row. */
  private void install() {
    Map<ModelWeight, List<Module>> byWeight = new LinkedHashMap<>();
    modules.forEach(m -> byWeight.computeIfAbsent(m.base(), k -> new ArrayList<>()).add(m));
    for (Map.Entry<ModelWeight, List<Module>> e : byWeight.entrySet()) {
      List<LowRankAdapter.Part> parts = new ArrayList<>();
      for (CheckpointPart part : e.getKey().parts()) {
        LowRankAdapter.Part arrays =
            e.getValue().stream()
                .filter(m -> m.part().name().equals(part.name()))
                .map(Module::arrays)
                .findFirst()
                .orElse(new LowRankAdapter.Part(part.rowOffset(), part.rows(), null, null, null));
        parts.add(arrays);
      }
      network
          .weights()
          .adapt(
              e.getKey(),
              new LowRankAdapter(parts, settings.scale(), settings.dropout(), () -> training));
    }
    network.overrideTokenRow(embToken, embRow);
    network.weights().setTrainable(w -> false);
    weights.forEach(w -> w.value().setRequiresGradient(true));
  }

  /** A linear module the settings select, and its rows in a (possibly fused) base weight. */
  private record Target(String canonical, ModelWeight base, CheckpointPart part) {
    NDIndex rows() {
      return new NDIndex("{}:{}", part.rowOffset(), part.rowOffset() + part.rows());
    }
  }

  private static List<Target> targets(Qwen25VLModel network, AdapterSettings settings) {
    List<Target> out = new ArrayList<>();
    for (ModelWeight w : network.weights().all()) {
      for (CheckpointPart part : w.parts()) {
        if (settings.adapts(part.name(), part.shape())) {
          String module = part.name().substring(0, part.name().length() - ".weight".length());
          out.add(new Target(module, w, part));
        }
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(
          "adapters.targets " + settings.targets() + " match no linear module of the model");
    }
    return out;
  }

  /** PEFT's {@code target_modules} regex: the targets, outside the vision tower unless asked. */
  private String targetPattern() {
    String names = String.join("|", settings.targets());
    return (settings.vision() ? "" : "^(?!.*visual).*") + "\\.(" + names + ")$";
  }

  private static String module(String key, String suffix) {
    return key.substring(PREFIX.length(), key.length() - suffix.length());
  }

  private static NDArray embeddingRow(Qwen25VLModel network, int token) {
    ModelWeight embed = network.weights().get(CheckpointLayout.EMBED_TOKENS);
    // fp32 whatever the matrix's type: the row trains (a half-precision base stays frozen).
    try (NDManager temps = network.manager().newSubManager()) {
      NDArray view = embed.value().get(token).stopGradient(); // [hidden]
      view.attach(temps);
      // A copy either way: the view shares the matrix's storage, which the row must not write.
      NDArray row =
          view.getDataType() == DataType.FLOAT32
              ? view.duplicate()
              : view.toType(DataType.FLOAT32, false);
      row.attach(network.manager());
      return row;
    }
  }

  private static NDArray read(SafetensorsFile file, String key, NDManager manager, long... shape)
      throws IOException {
    if (!file.contains(key)) {
      throw new IOException(file.path() + ": missing " + key);
    }
    long[] actual = file.info(key).shape();
    if (!java.util.Arrays.equals(actual, shape)) {
      throw new IOException(
          file.path()
              + ": "
              + key
              + " has shape "
              + java.util.Arrays.toString(actual)
              + ", expected "
              + java.util.Arrays.toString(shape));
    }
    return manager.create(file.readFloats(key), new Shape(shape));
  }

  private static ModelWeight weight(String name, NDArray value, boolean decay) {
    long[] shape = value.getShape().getShape();
    long rows = shape.length == 0 ? 1 : shape[0];
    return new ModelWeight(
        name, value, List.of(new CheckpointPart(name, shape, 0, (int) rows)), decay);
  }
}
