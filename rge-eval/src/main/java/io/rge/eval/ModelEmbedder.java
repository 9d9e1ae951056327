package io.rge.eval;

import io.rge.core.MultimodalInput;
import io.rge.core.PreparedInput;
import io.rge.core.QueryEmbedding;
import io.rge.core.RgeModel;
import io.rge.core.generation.GenerationSettings;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** {@link Embedder} over an {@link RgeModel}; the fingerprint is computed once, on first use. */
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
  public PreparedInput prepareCandidate(MultimodalInput input) {
    return model.prepareCandidate(input);
  }

  @Override
  public PreparedInput prepareQuery(MultimodalInput input, boolean reasoning) {
    return model.prepareQuery(input, reasoning);
  }

  @Override
  public List<float[]> embedCandidates(List<PreparedInput> inputs, int batchSize) {
    return model.embedPreparedCandidates(inputs, batchSize);
  }

  @Override
  public List<QueryEmbedding> embedQueries(
      List<PreparedInput> inputs, boolean reasoning, GenerationSettings generation) {
    return model.embedPreparedQueries(inputs, reasoning, generation);
  }
}
