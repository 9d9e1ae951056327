package io.rge.core;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.rge.core.adapters.AdapterSettings;
import io.rge.core.adapters.Adapters;
import io.rge.core.generation.GeneratedQuery;
import io.rge.core.generation.GenerationRequest;
import io.rge.core.generation.GenerationSettings;
import io.rge.core.generation.GenerationSource;
import io.rge.core.generation.LengthBatches;
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
import io.rge.core.qwen25vl.GraftedVision;
import io.rge.core.qwen25vl.ImagePositions;
import io.rge.core.qwen25vl.ModelConfigReader;
import io.rge.core.qwen25vl.ModelInput;
import io.rge.core.qwen25vl.ModelOutput;
import io.rge.core.qwen25vl.ModelWeight;
import io.rge.core.qwen25vl.OutputRequest;
import io.rge.core.qwen25vl.ProcessorCheck;
import io.rge.core.qwen25vl.Qwen25VLConfig;
import io.rge.core.qwen25vl.Qwen25VLModel;
import io.rge.core.qwen25vl.RandomWeights;
import io.rge.core.qwen25vl.VocabularyGrower;
import io.rge.core.qwen25vl.VocabularyGrowth;
import io.rge.core.qwen25vl.WeightLoader;
import io.rge.core.qwen25vl.WeightSource;
import io.rge.core.safetensors.DType;
import io.rge.core.tokenizer.QwenTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
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
 * <p>Settings travel with each call ({@link GenerationSettings}, batch sizes): the model holds
 * none. Not thread-safe: one model serves one caller at a time. Native memory is released by {@link
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
  private Adapters adapters;
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
   * wrote; a folder that also holds PEFT adapter files (a checkpoint of an adapter run) is loaded
   * with its adapters. If the tokenizer lacks {@code <emb>} it is added, and the embedding grows
   * with a row set to the mean of the others when the vocabulary needs it (see {@link
   * #vocabularyGrowth()}).
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
    RgeModel model = loadBase(modelDir, deviceChoice, positions, precision);
    if (!Files.isRegularFile(modelDir.resolve(Adapters.CONFIG_FILE))) {
      return model;
    }
    // A checkpoint of an adapter run: the base and its adapters in one folder (as transformers
    // loads a folder with an adapter_config.json when PEFT is installed).
    return withAdapters(model, modelDir);
  }

  private static RgeModel loadBase(
      Path modelDir,
      DeviceChoice deviceChoice,
      ImagePositions positions,
      ComputePrecision precision)
      throws IOException {
    Qwen25VLConfig config = ModelConfigReader.readFolder(modelDir);
    QwenTokenizer tokenizer = QwenTokenizer.load(modelDir);
    try {
      ImageProcessorConfig imageConfig = ImageProcessorConfig.read(modelDir);
      ProcessorCheck.matches(modelDir, config.vision(), imageConfig);
      int oldVocab = config.text().vocabSize();
      tokenizer.requireFits(oldVocab, modelDir.resolve("config.json")); // before rows are grown
      int vocab = Math.max(oldVocab, tokenizer.size());
      try (CheckpointWeights weights =
          WeightLoader.open(modelDir, config, WeightLoader.Strictness.STRICT)) {
        // PyTorch starts only once the files have passed their checks: bad input fails fast.
        Device device = DjlEngine.device(deviceChoice);
        ComputePrecision resolved = PrecisionChoice.resolve(precision, device);
        NDManager manager = DjlEngine.get().newBaseManager(device);
        try {
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
        } catch (RuntimeException e) {
          manager.close();
          throw e;
        }
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
    return fromPreset(preset, seed, deviceChoice, ComputePrecision.FP32);
  }

  /**
   * As {@link #fromPreset(TinyPreset, long, DeviceChoice)}, weights stored in {@code precision}.
   */
  public static RgeModel fromPreset(
      TinyPreset preset, long seed, DeviceChoice deviceChoice, ComputePrecision precision)
      throws IOException {
    return fromPreset(preset, seed, deviceChoice, precision, null);
  }

  /**
   * As {@link #fromPreset(TinyPreset, long, DeviceChoice, ComputePrecision)}, the vision tower
   * (patch embedding, blocks, merger) taken from the checkpoint {@code visionFrom} instead of drawn
   * at random (see {@link GraftedVision}); null: every weight random.
   */
  public static RgeModel fromPreset(
      TinyPreset preset,
      long seed,
      DeviceChoice deviceChoice,
      ComputePrecision precision,
      Path visionFrom)
      throws IOException {
    WeightSource random = new RandomWeights(seed, 0.02);
    if (visionFrom == null) {
      return fromPreset(preset, random, deviceChoice, precision);
    }
    try (GraftedVision weights = GraftedVision.open(visionFrom, preset.config().vision(), random)) {
      return fromPreset(preset, weights, deviceChoice, precision);
    }
  }

  private static RgeModel fromPreset(
      TinyPreset preset,
      WeightSource weights,
      DeviceChoice deviceChoice,
      ComputePrecision precision)
      throws IOException {
    return create(
        preset.config(),
        preset.tokenizer(),
        preset.imageProcessorConfig(),
        weights,
        deviceChoice,
        precision);
  }

  /** A model from parts: config, tokenizer, image processor settings and a weight source. */
  public static RgeModel create(
      Qwen25VLConfig config,
      QwenTokenizer tokenizer,
      ImageProcessorConfig imageConfig,
      WeightSource weights,
      DeviceChoice deviceChoice) {
    return create(config, tokenizer, imageConfig, weights, deviceChoice, ComputePrecision.FP32);
  }

  /**
   * A model from parts computing in {@code precision} (resolved for the device as {@link #load}
   * does: bf16 is refused where the JNI library cannot hold it).
   */
  public static RgeModel create(
      Qwen25VLConfig config,
      QwenTokenizer tokenizer,
      ImageProcessorConfig imageConfig,
      WeightSource weights,
      DeviceChoice deviceChoice,
      ComputePrecision precision) {
    if (tokenizer.size() > config.text().vocabSize()) {
      throw new IllegalArgumentException(
          "tokenizer has "
              + tokenizer.size()
              + " tokens but vocab_size is "
              + config.text().vocabSize());
    }
    Device device = DjlEngine.device(deviceChoice);
    ComputePrecision resolved = PrecisionChoice.resolve(precision, device);
    NDManager manager = DjlEngine.get().newBaseManager(device);
    try {
      Qwen25VLModel network =
          Qwen25VLModel.create(config, weights, manager, ImagePositions.GRID, resolved);
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

  /**
   * Embeds one query with the default settings ({@link GenerationSettings#DEFAULT}), generating its
   * rationale first when {@code reasoning} is on.
   */
  public QueryEmbedding embedQuery(MultimodalInput query, boolean reasoning) {
    return embedQueries(List.of(query), reasoning).get(0);
  }

  /** Embeds one query after generating its rationale with {@code settings}. */
  public QueryEmbedding embedQuery(MultimodalInput query, GenerationSettings settings) {
    return embedQueries(List.of(query), settings).get(0);
  }

  /** Embeds queries with the default settings ({@link GenerationSettings#DEFAULT}). */
  public List<QueryEmbedding> embedQueries(List<MultimodalInput> queries, boolean reasoning) {
    return embedQueries(queries, reasoning, GenerationSettings.DEFAULT);
  }

  /** Embeds queries after generating their rationales with {@code settings}. */
  public List<QueryEmbedding> embedQueries(
      List<MultimodalInput> queries, GenerationSettings settings) {
    return embedQueries(queries, true, settings);
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
    if (!reasoning) {
      return prepareCandidate(query);
    }
    ProcessedImage image = process(query);
    PromptTokens prompt =
        prompts.queryForGeneration(query.promptText(), image == null ? null : image.grid());
    return new PreparedInput(MultimodalInput.text(query.text()), prompt.ids(), image, true);
  }

  /** A candidate made ready for {@link #embedPreparedCandidates}; see {@link #prepareQuery}. */
  public PreparedInput prepareCandidate(MultimodalInput candidate) {
    ProcessedImage image = process(candidate);
    PromptTokens prompt =
        prompts.candidate(candidate.promptText(), image == null ? null : image.grid());
    return new PreparedInput(MultimodalInput.text(candidate.text()), prompt.ids(), image, false);
  }

  /** {@link #embedQueries(List, boolean, GenerationSettings)} of prepared queries. */
  public List<QueryEmbedding> embedPreparedQueries(
      List<PreparedInput> queries, boolean reasoning, GenerationSettings settings) {
    ensureOpen();
    requirePrepared(queries, reasoning);
    if (!reasoning) {
      List<float[]> vectors = embed(queries, settings.batchSize());
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

  /** Inputs prepared by this model's tokenizer for the prompt {@code generation} calls for. */
  private static void requirePrepared(List<PreparedInput> inputs, boolean generation) {
    for (PreparedInput in : inputs) {
      if (in.promptIds() == null || in.forGeneration() != generation) {
        throw new IllegalArgumentException(
            "input \""
                + in.source().text()
                + "\" was not prepared "
                + (generation ? "for generation (prepareQuery with reasoning)" : "for embedding"));
      }
    }
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
    return embed(candidates.stream().map(this::prepareCandidate).toList(), batchSize);
  }

  /** {@link #embedCandidates(List, int)} of prepared candidates. */
  public List<float[]> embedPreparedCandidates(List<PreparedInput> candidates, int batchSize) {
    ensureOpen();
    requirePrepared(candidates, false);
    return embed(candidates, batchSize);
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

  private List<float[]> embed(List<PreparedInput> inputs, int batchSize) {
    ensureOpen();
    int[] lengths = inputs.stream().mapToInt(in -> in.promptIds().length).toArray();
    float[][] out = new float[inputs.size()][];
    for (int[] batch : LengthBatches.of(lengths, batchSize)) {
      List<int[]> ids = new ArrayList<>();
      List<ProcessedImage> batchImages = new ArrayList<>();
      for (int row : batch) {
        ids.add(inputs.get(row).promptIds());
        if (inputs.get(row).image() != null) {
          batchImages.add(inputs.get(row).image());
        }
      }
      float[][] vectors = embedAtLastToken(ids, batchImages);
      for (int i = 0; i < batch.length; i++) {
        out[batch[i]] = vectors[i];
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
      float[] values = Cosine.normaliseRows(out.gathered()).toFloatArray(); // [B, H]
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
    save(dir, network.weights().currentValues(), DType.F32, extra);
  }

  /**
   * As {@link #save(Path, CheckpointWriter.ExtraFiles)} with the tensor values taken from {@code
   * weights} (e.g. {@code network().weights().currentValues()} with a training run's fp32 master
   * copies over it) and stored as {@code dtype} (F32 or BF16).
   */
  public void save(Path dir, WeightSource weights, DType dtype, CheckpointWriter.ExtraFiles extra)
      throws IOException {
    ensureOpen();
    writeCheckpoint(
        dir,
        weights,
        dtype,
        folder -> {
          if (adapters != null) {
            adapters.save(folder);
          }
          extra.writeInto(folder);
        });
  }

  private void writeCheckpoint(Path dir, WeightSource weights, CheckpointWriter.ExtraFiles extra)
      throws IOException {
    writeCheckpoint(dir, weights, DType.F32, extra);
  }

  private void writeCheckpoint(
      Path dir, WeightSource weights, DType dtype, CheckpointWriter.ExtraFiles extra)
      throws IOException {
    CheckpointWriter.write(
        dir,
        config,
        weights,
        dtype,
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

  // ---------------------------------------------------------------- replicas

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
    if (network.weights().storage() != DataType.FLOAT32) {
      throw new IllegalStateException(
          "only an fp32 model can be replicated for training, this one is stored in "
              + network.weights().storage());
    }
    QwenTokenizer copy;
    try {
      copy = QwenTokenizer.fromJson(tokenizer.json(), tokenizer.source());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    NDManager replicaManager = DjlEngine.get().newBaseManager(device);
    try {
      Qwen25VLModel replica =
          Qwen25VLModel.create(
              config,
              network.weights().currentValues(),
              replicaManager,
              network.imagePositions(),
              ComputePrecision.FP32);
      return new RgeModel(config, copy, imageProcessor.config(), replicaManager, replica, growth);
    } catch (RuntimeException e) {
      replicaManager.close();
      copy.close();
      throw e;
    }
  }

  // ---------------------------------------------------------------- adapters

  /**
   * Loads a base model folder (as {@link #load(Path, DeviceChoice)}) with the LoRA / DoRA adapters
   * of a PEFT adapter folder ({@code adapter_config.json}, {@code adapter_model.safetensors}).
   */
  public static RgeModel load(Path modelDir, Path adapterDir, DeviceChoice deviceChoice)
      throws IOException {
    return load(modelDir, adapterDir, deviceChoice, ComputePrecision.FP32);
  }

  /**
   * As {@link #load(Path, Path, DeviceChoice)}, the base stored in {@code precision} (the adapters
   * stay fp32).
   */
  public static RgeModel load(
      Path modelDir, Path adapterDir, DeviceChoice deviceChoice, ComputePrecision precision)
      throws IOException {
    return withAdapters(
        loadBase(modelDir, deviceChoice, ImagePositions.GRID, precision), adapterDir);
  }

  private static RgeModel withAdapters(RgeModel model, Path adapterDir) throws IOException {
    try {
      model.adapters = Adapters.load(model.network, adapterDir, model.tokenizer.embId());
      LOG.info("with the {} adapters of {}", model.adapters.settings().type().id(), adapterDir);
      return model;
    } catch (IOException | RuntimeException e) {
      model.close();
      throw e;
    }
  }

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

  /**
   * Writes the model with its adapters merged into the weights: a plain checkpoint folder (as
   * {@link #save(Path)} writes) that needs no PEFT.
   */
  public void saveMerged(Path dir) throws IOException {
    ensureOpen();
    WeightSource base = network.weights().currentValues();
    writeCheckpoint(dir, adapters == null ? base : adapters.merged(base), folder -> {});
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

  private void ensureOpen() {
    if (closed) {
      // The tokenizer's native handle is gone: calling into it would not be safe.
      throw new IllegalStateException("the model is closed");
    }
  }
}
