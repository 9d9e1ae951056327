package io.rge.core;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.rge.core.adapters.AdapterSettings;
import io.rge.core.adapters.Adapters;
import io.rge.core.generation.GeneratedQuery;
import io.rge.core.generation.GenerationRequest;
import io.rge.core.generation.GenerationSettings;
import io.rge.core.generation.GenerationSource;
import io.rge.core.generation.RationaleGenerator;
import io.rge.core.image.ImageProcessorConfig;
import io.rge.core.image.QwenImageProcessor;
import io.rge.core.prompt.PromptTokens;
import io.rge.core.prompt.QwenChatPrompts;
import io.rge.core.qwen25vl.ModelWeight;
import io.rge.core.qwen25vl.Qwen25VLConfig;
import io.rge.core.qwen25vl.Qwen25VLModel;
import io.rge.core.qwen25vl.VocabularyGrowth;
import io.rge.core.tokenizer.QwenTokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

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
 * <p>Loading takes {@link LoadOptions} (device, precision, positions, adapters, or a tiny preset);
 * {@link CheckpointFolderWriter} writes a model as a checkpoint folder. Settings travel with each
 * call ({@link GenerationSettings}, batch sizes): the model holds none. Not thread-safe: one model
 * serves one caller at a time. Native memory is released by {@link #close()}.
 */
public final class RgeModel implements AutoCloseable {
  /** Candidates embedded in one forward pass. */
  private static final int DEFAULT_EMBED_BATCH = 32;

  private final Qwen25VLConfig config;
  private final QwenTokenizer tokenizer;
  private final QwenImageProcessor imageProcessor;
  private final QwenChatPrompts prompts;
  private final NDManager manager;
  private final Qwen25VLModel network;
  private final VocabularyGrowth growth;
  private final InputPreparation preparation;
  private final LastTokenEmbedder embedder;
  private Adapters adapters;
  private boolean closed;

  /** Built by {@link ModelLoader#assemble}, the one place that puts a network on a device. */
  RgeModel(
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
    this.preparation = new InputPreparation(prompts, imageProcessor);
    this.embedder = new LastTokenEmbedder(network, manager, tokenizer.padId());
  }

  /**
   * Loads a model as {@code options} say: a model folder (with its adapters when it holds PEFT
   * adapter files), a tiny preset or parts. A tokenizer without {@code <emb>} gets it, and the
   * embedding grows by a row set to the mean of the others when the vocabulary needs it (see {@link
   * #vocabularyGrowth()}).
   *
   * @throws IllegalStateException when bf16 is asked for and the JNI library cannot hold it
   */
  public static RgeModel load(LoadOptions options) throws IOException {
    return ModelLoader.load(options);
  }

  /** Loads a model folder in fp32 on {@code device}: {@link #load(LoadOptions)}'s common case. */
  public static RgeModel load(Path modelDir, DeviceChoice device) throws IOException {
    return load(LoadOptions.builder().setModel(modelDir).optDevice(device).build());
  }

  // ---------------------------------------------------------------- embedding

  /**
   * Embeds one query with the default settings ({@link GenerationSettings#DEFAULT}), generating its
   * rationale first when {@code reasoning} is on.
   */
  public QueryEmbedding embedQuery(MultimodalInput query, boolean reasoning) {
    return embedQueries(List.of(query), reasoning, GenerationSettings.DEFAULT).get(0);
  }

  /**
   * Embeds queries, {@code settings.batchSize()} at a time. With reasoning, each query's rationale
   * is generated (up to {@code settings}' limit, with its decoding) and the vector is taken at the
   * final {@code <emb>}; without, the query is embedded like a candidate (prompt + {@code <emb>}).
   */
  public List<QueryEmbedding> embedQueries(
      List<MultimodalInput> queries, boolean reasoning, GenerationSettings settings) {
    ensureOpen();
    List<PreparedInput> prepared = new ArrayList<>(queries.size());
    for (MultimodalInput q : queries) {
      prepared.add(prepareQuery(q, reasoning));
    }
    return embedPreparedQueries(prepared, reasoning, settings);
  }

  /**
   * A query made ready for {@link #embedPreparedQueries}: its image processed and its prompt
   * tokenised (the generation prompt with reasoning, the candidate prompt without). Needs no model
   * pass and may run on another thread while the model works.
   */
  public PreparedInput prepareQuery(MultimodalInput query, boolean reasoning) {
    return preparation.query(query, reasoning);
  }

  /**
   * A reasoning query (from {@link #prepareQuery} with reasoning) followed by {@code rationale} and
   * {@code <emb>}: the teacher-forced sequence of the LM term, labelled from the rationale on. Its
   * ids start with the query's generation prompt; the image is not processed again.
   */
  public PromptTokens prepareWithRationale(PreparedInput query, String rationale) {
    return preparation.withRationale(query, rationale);
  }

  /** A candidate made ready for {@link #embedPreparedCandidates}; see {@link #prepareQuery}. */
  public PreparedInput prepareCandidate(MultimodalInput candidate) {
    return preparation.candidate(candidate);
  }

  /** {@link #embedQueries(List, boolean, GenerationSettings)} of prepared queries. */
  public List<QueryEmbedding> embedPreparedQueries(
      List<PreparedInput> queries, boolean reasoning, GenerationSettings settings) {
    ensureOpen();
    InputPreparation.requirePrepared(queries, reasoning);
    if (!reasoning) {
      List<float[]> vectors = embedder.embed(queries, settings.batchSize());
      List<QueryEmbedding> out = new ArrayList<>(vectors.size());
      for (float[] v : vectors) {
        out.add(new QueryEmbedding(v, "", new int[0], false));
      }
      return out;
    }
    List<GenerationRequest> requests = new ArrayList<>(queries.size());
    for (PreparedInput q : queries) {
      requests.add(q.generationRequest());
    }
    List<GeneratedQuery> generated = generate(requests, settings);
    List<QueryEmbedding> out = new ArrayList<>(generated.size());
    for (GeneratedQuery g : generated) {
      out.add(queryEmbedding(g));
    }
    return out;
  }

  /** A generated query as the embedding methods return it: its rationale decoded. */
  public QueryEmbedding queryEmbedding(GeneratedQuery generated) {
    int[] rationale = generated.rationaleTokens();
    return new QueryEmbedding(
        generated.embedding(), rationaleText(rationale), rationale, generated.embAppended());
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

  /** Embeds candidates in batches of {@value #DEFAULT_EMBED_BATCH} of similar length. */
  public List<float[]> embedCandidates(List<MultimodalInput> candidates) {
    return embedCandidates(candidates, DEFAULT_EMBED_BATCH);
  }

  /** Embeds candidates, {@code batchSize} of similar length per forward pass. */
  public List<float[]> embedCandidates(List<MultimodalInput> candidates, int batchSize) {
    ensureOpen();
    return embedder.embed(candidates.stream().map(preparation::candidate).toList(), batchSize);
  }

  /** {@link #embedCandidates(List, int)} of prepared candidates. */
  public List<float[]> embedPreparedCandidates(List<PreparedInput> candidates, int batchSize) {
    ensureOpen();
    InputPreparation.requirePrepared(candidates, false);
    return embedder.embed(candidates, batchSize);
  }

  /** Runs RGE generation on tokenised prompts (no gradients). */
  public List<GeneratedQuery> generate(
      List<GenerationRequest> requests, GenerationSettings settings) {
    ensureOpen();
    return new RationaleGenerator(network, tokenizer.embId(), tokenizer.padId())
        .generate(manager, requests, settings);
  }

  /**
   * Runs RGE generation on the prompts of a live source until it has no more (see {@link
   * RationaleGenerator#run}): the loop a server keeps running, on the calling thread, which is then
   * the one thread that uses this model; the source may embed candidates between steps.
   */
  public void generate(GenerationSource source, GenerationSettings settings) {
    ensureOpen();
    new RationaleGenerator(network, tokenizer.embId(), tokenizer.padId())
        .run(manager, source, settings);
  }

  /**
   * A copy of this model on {@code device} for data-parallel training: the same config, tokenizer,
   * image processor and current weights (read from this model's device once, tensor by tensor).
   * Adapters are not copied: attach them to the copy and copy their weights over. The copy is
   * independent and closed on its own.
   *
   * @throws IllegalStateException for a model stored in half precision (training computes in fp32)
   */
  public RgeModel replicate(Device device) {
    ensureOpen();
    return ModelLoader.replicate(this, device);
  }

  // ---------------------------------------------------------------- adapters

  /**
   * Freezes the model and installs fresh adapters (which compute exactly what the model computed
   * before); their weights and the {@code <emb>} row are then the trainable ones.
   */
  public Adapters attachAdapters(AdapterSettings settings, long seed) {
    ensureOpen();
    if (adapters != null) {
      throw new IllegalStateException("the model already has adapters");
    }
    adapters = Adapters.attach(network, settings, tokenizer.embId(), seed);
    return adapters;
  }

  /** The installed adapters, if any. */
  public Optional<Adapters> adapters() {
    return Optional.ofNullable(adapters);
  }

  /** Installs adapters loaded for this model's network (by {@link ModelLoader}). */
  void useAdapters(Adapters loaded) {
    adapters = loaded;
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
      List<ModelWeight> weights = new ArrayList<>(network.weights().all());
      if (adapters != null) {
        weights.addAll(adapters.weights());
      }
      for (ModelWeight w : weights) {
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

  void ensureOpen() {
    if (closed) {
      // The tokenizer's native handle is gone: calling into it would not be safe.
      throw new IllegalStateException("the model is closed");
    }
  }
}
