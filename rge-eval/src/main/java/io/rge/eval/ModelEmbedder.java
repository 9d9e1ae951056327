package io.rge.eval;

import io.rge.core.MultimodalInput;
import io.rge.core.QueryEmbedding;
import io.rge.core.RgeModel;
import io.rge.core.generation.GeneratedQuery;
import io.rge.core.generation.GenerationRequest;
import io.rge.core.generation.GenerationSettings;
import io.rge.core.image.ProcessedImage;
import io.rge.core.prompt.PromptTokens;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;

/**
 * {@link Embedder} over an {@link RgeModel}; the fingerprint is computed once, on first use.
 * Queries with reasoning go through {@link RgeModel#generate} with the prompts {@link
 * RgeModel#embedQueries} builds, only the decoding of the rationale differs (see {@link #decode}).
 */
final class ModelEmbedder implements Embedder {
  private final RgeModel model;
  private String fingerprint;

  ModelEmbedder(RgeModel model) {
    this.model = model;
  }

  @Override
  public int dimension() {
    return model.config().text().hiddenSize();
  }

  @Override
  public String device() {
    return model.device().toString();
  }

  @Override
  public String fingerprint() {
    if (fingerprint == null) {
      fingerprint = model.fingerprint();
    }
    return fingerprint;
  }

  @Override
  public String cacheKey() {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      // The model fingerprint does not cover image preprocessing, which changes every image input.
      digest.update(fingerprint().getBytes(StandardCharsets.UTF_8));
      digest.update((byte) '\n');
      digest.update(model.imageProcessor().config().toJson().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  @Override
  public List<float[]> embedCandidates(List<MultimodalInput> inputs, int batchSize) {
    model.setEmbedBatchSize(batchSize);
    return model.embedCandidates(inputs);
  }

  @Override
  public List<QueryEmbedding> embedQueries(
      List<MultimodalInput> inputs, boolean reasoning, int maxNewTokens, int batchSize) {
    if (!reasoning) {
      model.setEmbedBatchSize(batchSize);
      return model.embedQueries(inputs, false);
    }
    List<GenerationRequest> requests = new ArrayList<>(inputs.size());
    for (MultimodalInput in : inputs) {
      ProcessedImage image = in.image() == null ? null : model.imageProcessor().process(in.image());
      PromptTokens prompt =
          model.prompts().queryForGeneration(in.promptText(), image == null ? null : image.grid());
      requests.add(new GenerationRequest(prompt.ids(), image == null ? List.of() : List.of(image)));
    }
    List<GeneratedQuery> generated =
        model.generate(requests, GenerationSettings.greedy(maxNewTokens, batchSize));
    List<QueryEmbedding> out = new ArrayList<>(generated.size());
    for (GeneratedQuery g : generated) {
      int[] rationale = g.rationaleTokens();
      out.add(new QueryEmbedding(g.embedding(), decode(rationale), rationale, g.embAppended()));
    }
    return out;
  }

  /**
   * The rationale's text. Checkpoints pad their vocabulary past the tokenizer (Qwen2.5-VL: 151,936
   * rows for 151,665 tokens) and an untrained model can emit those ids; RgeModel.embedQueries
   * rejects them while decoding, transformers decodes them as nothing, and so does this.
   */
  private String decode(int[] ids) {
    int size = model.tokenizer().size();
    return model.tokenizer().decode(IntStream.of(ids).filter(id -> id < size).toArray(), true);
  }
}
