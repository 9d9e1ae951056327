package io.rge.core;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.rge.core.adapters.Adapters;
import io.rge.core.image.ImageProcessorConfig;
import io.rge.core.precision.ComputePrecision;
import io.rge.core.precision.PrecisionChoice;
import io.rge.core.preset.TinyPreset;
import io.rge.core.qwen25vl.CheckpointWeights;
import io.rge.core.qwen25vl.GraftedVision;
import io.rge.core.qwen25vl.ImagePositions;
import io.rge.core.qwen25vl.ModelConfigReader;
import io.rge.core.qwen25vl.ProcessorCheck;
import io.rge.core.qwen25vl.Qwen25VLConfig;
import io.rge.core.qwen25vl.Qwen25VLModel;
import io.rge.core.qwen25vl.RandomWeights;
import io.rge.core.qwen25vl.VocabularyGrower;
import io.rge.core.qwen25vl.VocabularyGrowth;
import io.rge.core.qwen25vl.WeightLoader;
import io.rge.core.qwen25vl.WeightSource;
import io.rge.core.tokenizer.QwenTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds an {@link RgeModel} from {@link LoadOptions}: reads and checks a model folder, or takes a
 * preset or parts, then {@link #assemble} puts the network on its device; adapters last.
 */
final class ModelLoader {
  private static final Logger LOG = LoggerFactory.getLogger(ModelLoader.class);

  private ModelLoader() {}

  static RgeModel load(LoadOptions o) throws IOException {
    RgeModel model;
    if (o.model() != null) {
      model = fromFolder(o.model(), o);
    } else if (o.preset() != null) {
      model = fromPreset(o.preset(), o);
    } else {
      LoadOptions.Parts p = o.parts();
      model = fromParts(p.config(), p.tokenizer(), p.imageConfig(), p.weights(), o);
    }
    Path adapters = o.adapters();
    if (adapters == null
        && o.model() != null
        && Files.isRegularFile(o.model().resolve(Adapters.CONFIG_FILE))) {
      // A checkpoint of an adapter run: the base and its adapters in one folder (as transformers
      // loads a folder with an adapter_config.json when PEFT is installed).
      adapters = o.model();
    }
    return adapters == null ? model : withAdapters(model, adapters);
  }

  /**
   * A Hugging Face Qwen2.5-VL folder ({@code config.json}, {@code model.safetensors} or shards,
   * {@code tokenizer.json}, optional {@code preprocessor_config.json}) or a checkpoint RGE wrote.
   * If the tokenizer lacks {@code <emb>} it is added, and the embedding grows with a row set to the
   * mean of the others when the vocabulary needs it.
   */
  private static RgeModel fromFolder(Path modelDir, LoadOptions o) throws IOException {
    Qwen25VLConfig config = ModelConfigReader.readFolder(modelDir);
    QwenTokenizer tokenizer = QwenTokenizer.load(modelDir);
    try {
      ImageProcessorConfig imageConfig = ImageProcessorConfig.read(modelDir);
      ProcessorCheck.matches(modelDir, config.vision(), imageConfig);
      int oldVocab = config.text().vocabSize();
      // Before rows are grown: an id far past vocab_size would allocate without bound.
      tokenizer.requireFits(oldVocab, modelDir.resolve(Qwen25VLConfig.FILE_NAME));
      int vocab = Math.max(oldVocab, tokenizer.size());
      try (CheckpointWeights weights =
          WeightLoader.open(modelDir, config, WeightLoader.Strictness.STRICT)) {
        // PyTorch starts only once the files have passed their checks: bad input fails fast.
        Device device = DjlEngine.device(o.device());
        ComputePrecision precision = PrecisionChoice.resolve(o.precision(), device);
        RgeModel model =
            assemble(
                config.withVocabSize(vocab),
                tokenizer,
                imageConfig,
                VocabularyGrower.grow(weights, config, vocab),
                device,
                o.positions(),
                precision,
                new VocabularyGrowth(oldVocab, vocab));
        LOG.info(
            "loaded {} on {}, {} ({} parameters{})",
            modelDir,
            device,
            precision,
            model.network().weights().all().stream().mapToLong(w -> w.value().size()).sum(),
            vocab == oldVocab ? "" : ", vocabulary grown " + oldVocab + " -> " + vocab);
        return model;
      }
    } catch (IOException | RuntimeException e) {
      tokenizer.close();
      throw e;
    }
  }

  private static RgeModel fromPreset(TinyPreset preset, LoadOptions o) throws IOException {
    WeightSource random = new RandomWeights(o.seed(), 0.02);
    if (o.visionFrom() == null) {
      return fromParts(
          preset.config(), preset.tokenizer(), preset.imageProcessorConfig(), random, o);
    }
    try (GraftedVision weights =
        GraftedVision.open(o.visionFrom(), preset.config().vision(), random)) {
      return fromParts(
          preset.config(), preset.tokenizer(), preset.imageProcessorConfig(), weights, o);
    }
  }

  private static RgeModel fromParts(
      Qwen25VLConfig config,
      QwenTokenizer tokenizer,
      ImageProcessorConfig imageConfig,
      WeightSource weights,
      LoadOptions o) {
    if (tokenizer.size() > config.text().vocabSize()) {
      throw new IllegalArgumentException(
          "tokenizer has "
              + tokenizer.size()
              + " tokens but vocab_size is "
              + config.text().vocabSize());
    }
    Device device = DjlEngine.device(o.device());
    int vocab = config.text().vocabSize();
    return assemble(
        config,
        tokenizer,
        imageConfig,
        weights,
        device,
        o.positions(),
        PrecisionChoice.resolve(o.precision(), device),
        new VocabularyGrowth(vocab, vocab));
  }

  /**
   * The one place a network is put on a device: opens the model's manager, creates the network in
   * it, and closes the manager again if that fails (the tokenizer stays the caller's to close).
   */
  static RgeModel assemble(
      Qwen25VLConfig config,
      QwenTokenizer tokenizer,
      ImageProcessorConfig imageConfig,
      WeightSource weights,
      Device device,
      ImagePositions positions,
      ComputePrecision precision,
      VocabularyGrowth growth) {
    NDManager manager = DjlEngine.get().newBaseManager(device);
    try {
      Qwen25VLModel network = Qwen25VLModel.create(config, weights, manager, positions, precision);
      return new RgeModel(config, tokenizer, imageConfig, manager, network, growth);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /**
   * {@link RgeModel#replicate}: the fp32 model's config, tokenizer and weights on {@code device}.
   */
  static RgeModel replicate(RgeModel model, Device device) {
    Qwen25VLModel network = model.network();
    if (network.weights().storage() != DataType.FLOAT32) {
      throw new IllegalStateException(
          "only an fp32 model can be replicated for training, this one is stored in "
              + network.weights().storage());
    }
    QwenTokenizer copy;
    try {
      copy = QwenTokenizer.fromJson(model.tokenizer().json(), model.tokenizer().source());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      return assemble(
          model.config(),
          copy,
          model.imageProcessor().config(),
          network.weights().currentValues(),
          device,
          network.imagePositions(),
          ComputePrecision.FP32,
          model.vocabularyGrowth());
    } catch (RuntimeException e) {
      copy.close();
      throw e;
    }
  }

  private static RgeModel withAdapters(RgeModel model, Path adapterDir) throws IOException {
    try {
      Adapters adapters = Adapters.load(model.network(), adapterDir, model.tokenizer().embId());
      model.useAdapters(adapters);
      LOG.info("with the {} adapters of {}", adapters.settings().type().id(), adapterDir);
      return model;
    } catch (IOException | RuntimeException e) {
      model.close();
      throw e;
    }
  }
}
