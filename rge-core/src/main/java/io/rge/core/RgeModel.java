package io.rge.core;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.rge.core.generation.GeneratedQuery;
import io.rge.core.generation.GenerationRequest;
import io.rge.core.generation.GenerationSettings;
import io.rge.core.generation.RationaleGenerator;
import io.rge.core.image.ImageProcessorConfig;
import io.rge.core.image.ProcessedImage;
import io.rge.core.image.QwenImageProcessor;
import io.rge.core.precision.ComputePrecision;
import io.rge.core.precision.PrecisionChoice;
import io.rge.core.preset.TinyPreset;
import io.rge.core.prompt.PromptTokens;
import io.rge.core.prompt.QwenChatPrompts;
import io.rge.core.qwen25vl.CheckpointWeights;
import io.rge.core.qwen25vl.CheckpointWriter;
import io.rge.core.qwen25vl.ImagePositions;
import io.rge.core.qwen25vl.ModelConfigReader;
import io.rge.core.qwen25vl.ModelInput;
import io.rge.core.qwen25vl.ModelOutput;
import io.rge.core.qwen25vl.OutputRequest;
import io.rge.core.qwen25vl.Qwen25VLConfig;
import io.rge.core.qwen25vl.Qwen25VLModel;
import io.rge.core.qwen25vl.RandomWeights;
import io.rge.core.qwen25vl.VocabularyGrower;
import io.rge.core.qwen25vl.VocabularyGrowth;
import io.rge.core.qwen25vl.WeightLoader;
import io.rge.core.qwen25vl.WeightSource;
import io.rge.core.tokenizer.QwenTokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A reasoning-guided embedding model: a Qwen2.5-VL checkpoint with its tokenizer and image
 * processor, ready to embed queries (thinking first, or not) and candidates.
 *
 * <pre>{@code
 * try (RgeModel model = RgeModel.load(Path.of("MCG-NJU/RGE"), DeviceChoice.AUTO)) {
 *   QueryEmbedding q = model.embedQuery(MultimodalInput.text("Find a photo of a red fox"), true);
 *   System.out.println(q.rationale());
 *   float[] c = model.embedCandidate(new MultimodalInput("<|image_1|> Represent the image", img));
 *   System.out.println(q.similarity(c));
 * }
 * }</pre>
 *
 * <p>Not thread-safe: one model serves one caller at a time. Native memory is released by {@link
 * #close()}.
 */
public final class RgeModel implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RgeModel.class);

  /** Candidates embedded in one forward pass. */
  private static final int DEFAULT_EMBED_BATCH = 32;

  private final Qwen25VLConfig config;
  private final QwenTokenizer tokenizer;
  private final QwenImageProcessor imageProcessor;
  private final QwenChatPrompts prompts;
  private final NDManager manager;
  private final Qwen25VLModel network;
  private final VocabularyGrowth growth;
  private GenerationSettings generation = GenerationSettings.greedy(128, 16);
  private int embedBatchSize = DEFAULT_EMBED_BATCH;
  private boolean closed;

  private RgeModel(
      Qwen25VLConfig config,
      QwenTokenizer tokenizer,
      ImageProcessorConfig imageConfig,
      NDManager manager,
      Qwen25VLModel network,
      VocabularyGrowth growth) {
    this.config = config;
    this.tokenizer = tokenizer;
    this.imageProcessor = new QwenImageProcessor(imageConfig);
    this.prompts = new QwenChatPrompts(tokenizer, config.vision().spatialMergeSize());
    this.manager = manager;
    this.network = network;
    this.growth = growth;
  }

  /** Loads a model folder on the CPU, or on a GPU when one is visible. */
  public static RgeModel load(Path modelDir) throws IOException {
    return load(modelDir, DeviceChoice.AUTO);
  }

  /**
   * Loads a Hugging Face Qwen2.5-VL folder ({@code config.json}, {@code model.safetensors} or
   * shards, {@code tokenizer.json}, optional {@code preprocessor_config.json}) or a checkpoint RGE
   * wrote. If the tokenizer lacks {@code <emb>} it is added, and the embedding grows with a row set
   * to the mean of the others when the vocabulary needs it (see {@link #vocabularyGrowth()}).
   */
  public static RgeModel load(Path modelDir, DeviceChoice deviceChoice) throws IOException {
    return load(modelDir, deviceChoice, ImagePositions.GRID);
  }

  /**
   * Loads with a choice of image positions; {@link ImagePositions#SEQUENTIAL} only reproduces
   * references computed without M-RoPE image positions (see {@link ImagePositions}).
   */
  public static RgeModel load(Path modelDir, DeviceChoice deviceChoice, ImagePositions positions)
      throws IOException {
    return load(modelDir, deviceChoice, positions, ComputePrecision.FP32);
  }

  /**
   * Loads computing in {@code precision} (null: fp32 on the CPU, on a GPU bf16 where the JNI
   * library maps it, else fp16; see {@link PrecisionChoice}). Half precisions are for inference.
   *
   * @throws IllegalStateException when bf16 is asked for and the JNI library cannot hold it
   */
  public static RgeModel load(
      Path modelDir,
      DeviceChoice deviceChoice,
      ImagePositions positions,
      ComputePrecision precision)
      throws IOException {
    Device device = DjlEngine.device(deviceChoice);
    ComputePrecision resolved = PrecisionChoice.resolve(precision, device);
    Qwen25VLConfig config = ModelConfigReader.read(modelDir.resolve("config.json"));
    QwenTokenizer tokenizer = QwenTokenizer.load(modelDir);
    try {
      ImageProcessorConfig imageConfig = ImageProcessorConfig.read(modelDir);
      int oldVocab = config.text().vocabSize();
      int vocab = Math.max(oldVocab, tokenizer.size());
      NDManager manager = DjlEngine.get().newBaseManager(device);
      try (CheckpointWeights weights =
          WeightLoader.open(modelDir, config, WeightLoader.Strictness.STRICT)) {
        WeightSource source = VocabularyGrower.grow(weights, config, vocab);
        Qwen25VLConfig finalConfig = config.withVocabSize(vocab);
        Qwen25VLModel network =
            Qwen25VLModel.create(finalConfig, source, manager, positions, resolved);
        LOG.info(
            "loaded {} on {}, {} ({} parameters{})",
            modelDir,
            device,
            resolved,
            parameterCount(network),
            vocab == oldVocab ? "" : ", vocabulary grown " + oldVocab + " -> " + vocab);
        return new RgeModel(
            finalConfig,
            tokenizer,
            imageConfig,
            manager,
            network,
            new VocabularyGrowth(oldVocab, vocab));
      } catch (IOException | RuntimeException e) {
        manager.close();
        throw e;
      }
    } catch (IOException | RuntimeException e) {
      tokenizer.close();
      throw e;
    }
  }

  /**
   * A randomly initialised model of a tiny preset (for training from scratch): weights ~ N(0, 0.02)
   * from {@code seed}, biases 0, norms 1.
   */
  public static RgeModel fromPreset(TinyPreset preset, long seed, DeviceChoice deviceChoice)
      throws IOException {
    return create(
        preset.config(),
        preset.tokenizer(),
        preset.imageProcessorConfig(),
        new RandomWeights(seed, 0.02),
        deviceChoice);
  }

  /** A model from parts: config, tokenizer, image processor settings and a weight source. */
  public static RgeModel create(
      Qwen25VLConfig config,
      QwenTokenizer tokenizer,
      ImageProcessorConfig imageConfig,
      WeightSource weights,
      DeviceChoice deviceChoice) {
    if (tokenizer.size() > config.text().vocabSize()) {
      throw new IllegalArgumentException(
          "tokenizer has "
              + tokenizer.size()
              + " tokens but vocab_size is "
              + config.text().vocabSize());
    }
    NDManager manager = DjlEngine.get().newBaseManager(DjlEngine.device(deviceChoice));
    try {
      Qwen25VLModel network = Qwen25VLModel.create(config, weights, manager);
      int vocab = config.text().vocabSize();
      return new RgeModel(
          config, tokenizer, imageConfig, manager, network, new VocabularyGrowth(vocab, vocab));
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  private static long parameterCount(Qwen25VLModel network) {
    return network.weights().all().stream().mapToLong(w -> w.value().size()).sum();
  }

  // ---------------------------------------------------------------- embedding

  /** Embeds one query, generating its rationale first when {@code reasoning} is on. */
  public QueryEmbedding embedQuery(MultimodalInput query, boolean reasoning) {
    return embedQueries(List.of(query), reasoning).get(0);
  }

  /**
   * Embeds queries in batches. With reasoning, each query's rationale is generated (greedy by
   * default, up to {@link #generationSettings()}'s limit) and the vector is taken at the final
   * {@code <emb>}; without, the query is embedded like a candidate (prompt + {@code <emb>}).
   */
  public List<QueryEmbedding> embedQueries(List<MultimodalInput> queries, boolean reasoning) {
    ensureOpen();
    if (!reasoning) {
      List<float[]> vectors = embed(queries);
      List<QueryEmbedding> out = new ArrayList<>(vectors.size());
      for (float[] v : vectors) {
        out.add(new QueryEmbedding(v, "", new int[0], false));
      }
      return out;
    }
    List<GenerationRequest> requests = new ArrayList<>(queries.size());
    for (MultimodalInput q : queries) {
      ProcessedImage image = process(q);
      PromptTokens prompt =
          prompts.queryForGeneration(q.promptText(), image == null ? null : image.grid());
      requests.add(new GenerationRequest(prompt.ids(), image == null ? List.of() : List.of(image)));
    }
    List<GeneratedQuery> generated = generate(requests, generation);
    List<QueryEmbedding> out = new ArrayList<>(generated.size());
    for (GeneratedQuery g : generated) {
      int[] rationale = g.rationaleTokens();
      out.add(
          new QueryEmbedding(g.embedding(), rationaleText(rationale), rationale, g.embAppended()));
    }
    return out;
  }

  /**
   * The text of generated ids. The model's vocabulary may be larger than the tokenizer's (Qwen pads
   * its embedding), and the model may write one of those rows: such ids have no text and are left
   * out of the text (they stay in the token ids).
   */
  private String rationaleText(int[] ids) {
    int[] textual = Arrays.stream(ids).filter(id -> id < tokenizer.size()).toArray();
    return tokenizer.decode(textual, true);
  }

  /** Embeds one candidate: prompt + {@code <emb>}, no reasoning. */
  public float[] embedCandidate(MultimodalInput candidate) {
    return embedCandidates(List.of(candidate)).get(0);
  }

  /** Embeds candidates in batches of similar length. */
  public List<float[]> embedCandidates(List<MultimodalInput> candidates) {
    return embed(candidates);
  }

  /** Runs RGE generation on tokenised prompts (no gradients). */
  public List<GeneratedQuery> generate(
      List<GenerationRequest> requests, GenerationSettings settings) {
    ensureOpen();
    return new RationaleGenerator(network, tokenizer.embId(), tokenizer.padId())
        .generate(manager, requests, settings);
  }

  private List<float[]> embed(List<MultimodalInput> inputs) {
    ensureOpen();
    List<PromptTokens> tokens = new ArrayList<>(inputs.size());
    List<ProcessedImage> images = new ArrayList<>(inputs.size());
    for (MultimodalInput in : inputs) {
      ProcessedImage image = process(in);
      images.add(image);
      tokens.add(prompts.candidate(in.promptText(), image == null ? null : image.grid()));
    }
    Integer[] order = new Integer[inputs.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Integer.compare(tokens.get(a).length(), tokens.get(b).length()));
    float[][] out = new float[inputs.size()][];
    for (int start = 0; start < order.length; start += embedBatchSize) {
      int end = Math.min(order.length, start + embedBatchSize);
      List<int[]> ids = new ArrayList<>();
      List<ProcessedImage> batchImages = new ArrayList<>();
      for (int i = start; i < end; i++) {
        ids.add(tokens.get(order[i]).ids());
        if (images.get(order[i]) != null) {
          batchImages.add(images.get(order[i]));
        }
      }
      float[][] vectors = embedAtLastToken(ids, batchImages);
      for (int i = start; i < end; i++) {
        out[order[i]] = vectors[i - start];
      }
    }
    return Arrays.asList(out);
  }

  /**
   * Right-pads, runs one forward pass and returns the normalised final states at each last token.
   */
  private float[][] embedAtLastToken(List<int[]> rows, List<ProcessedImage> images) {
    int b = rows.size();
    int[][] last = new int[b][];
    for (int r = 0; r < b; r++) {
      last[r] = new int[] {r, rows.get(r).length - 1};
    }
    ModelInput input = ModelInput.rightPadded(rows, tokenizer.padId(), images);
    try (NDManager scope = manager.newSubManager()) {
      ModelOutput out = network.forward(scope, input, OutputRequest.gatherAt(last));
      NDArray h = out.gathered();
      float[] values = h.div(h.norm(new int[] {1}, true)).toFloatArray();
      int width = config.text().hiddenSize();
      float[][] vectors = new float[b][];
      for (int r = 0; r < b; r++) {
        vectors[r] = Arrays.copyOfRange(values, r * width, (r + 1) * width);
      }
      return vectors;
    }
  }

  private ProcessedImage process(MultimodalInput in) {
    return in.image() == null ? null : imageProcessor.process(in.image());
  }

  // ---------------------------------------------------------------- saving

  /**
   * Writes the model as a checkpoint folder both this library and transformers load: weights under
   * the Hugging Face names, {@code config.json}, {@code tokenizer.json} (with {@code <emb>}) and
   * {@code preprocessor_config.json}. The folder appears in one atomic rename; {@code extra} may
   * add files to it first.
   */
  public void save(Path dir, CheckpointWriter.ExtraFiles extra) throws IOException {
    ensureOpen();
    CheckpointWriter.write(
        dir,
        config,
        network.weights().currentValues(),
        CheckpointWriter.DEFAULT_MAX_SHARD_BYTES,
        folder -> {
          tokenizer.save(folder.resolve(QwenTokenizer.FILE_NAME));
          Files.writeString(
              folder.resolve(ImageProcessorConfig.FILE_NAME),
              imageProcessor.config().toJson(),
              StandardCharsets.UTF_8);
          extra.writeInto(folder);
        });
  }

  public void save(Path dir) throws IOException {
    save(dir, folder -> {});
  }

  /**
   * SHA-256 of the config, the tokenizer and every weight's current values: two models with the
   * same fingerprint compute the same function, so evaluation caches can be keyed on it.
   */
  public String fingerprint() {
    ensureOpen();
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(config.toString().getBytes(StandardCharsets.UTF_8));
      digest.update(tokenizer.json().getBytes(StandardCharsets.UTF_8));
      for (var w : network.weights().all()) {
        digest.update(w.name().getBytes(StandardCharsets.UTF_8));
        digest.update(w.value().toByteArray());
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  // ---------------------------------------------------------------- accessors

  public Qwen25VLConfig config() {
    return config;
  }

  public QwenTokenizer tokenizer() {
    return tokenizer;
  }

  public QwenChatPrompts prompts() {
    return prompts;
  }

  public QwenImageProcessor imageProcessor() {
    return imageProcessor;
  }

  /** The network, for training: differentiable forward passes and the weights. */
  public Qwen25VLModel network() {
    return network;
  }

  /** The manager that owns the weights; training scopes are its children. */
  public NDManager manager() {
    return manager;
  }

  public Device device() {
    return manager.getDevice();
  }

  /** How the vocabulary changed at load time (equal sizes when it did not). */
  public VocabularyGrowth vocabularyGrowth() {
    return growth;
  }

  public GenerationSettings generationSettings() {
    return generation;
  }

  /** Sets how query rationales are generated (limit, decoding, batch size). */
  public void setGenerationSettings(GenerationSettings settings) {
    this.generation = settings;
  }

  /** Sets how many candidates one forward pass embeds. */
  public void setEmbedBatchSize(int size) {
    if (size <= 0) {
      throw new IllegalArgumentException("batch size must be > 0, got " + size);
    }
    this.embedBatchSize = size;
  }

  /** Releases the weights and the tokenizer; later calls fail with an IllegalStateException. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    network.close();
    manager.close();
    tokenizer.close();
  }

  private void ensureOpen() {
    if (closed) {
      // The tokenizer's native handle is gone: calling into it would not be safe.
      throw new IllegalStateException("the model is closed");
    }
  }
}
