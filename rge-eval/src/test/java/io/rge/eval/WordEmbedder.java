package io.rge.eval;

import io.rge.core.MultimodalInput;
import io.rge.core.PreparedInput;
import io.rge.core.QueryEmbedding;
import io.rge.core.generation.GenerationSettings;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A model-free embedder for tests of data handling: a bag of hashed words plus the image's mean
 * colour. Deterministic and fast.
 */
final class WordEmbedder implements Embedder {
  static final int DIM = 32;

  @Override
  public int dimension() {
    return DIM;
  }

  @Override
  public String fingerprint() {
    return "words";
  }

  @Override
  public String cacheKey() {
    return "00000000000000000000000000000000";
  }

  @Override
  public PreparedInput prepareCandidate(MultimodalInput input) {
    return PreparedInput.unprocessed(input, false);
  }

  @Override
  public PreparedInput prepareQuery(MultimodalInput input, boolean reasoning) {
    return PreparedInput.unprocessed(input, reasoning);
  }

  @Override
  public List<float[]> embedCandidates(List<PreparedInput> inputs, int batchSize) {
    List<float[]> out = new ArrayList<>();
    for (PreparedInput in : inputs) {
      out.add(vector(in.source()));
    }
    return out;
  }

  @Override
  public List<QueryEmbedding> embedQueries(
      List<PreparedInput> inputs, boolean reasoning, GenerationSettings generation) {
    List<QueryEmbedding> out = new ArrayList<>();
    for (PreparedInput in : inputs) {
      out.add(new QueryEmbedding(vector(in.source()), reasoning ? "words" : "", new int[0], false));
    }
    return out;
  }

  static float[] vector(MultimodalInput in) {
    float[] v = new float[DIM];
    for (String word : in.text().toLowerCase(Locale.ROOT).split("\\W+")) {
      if (!word.isEmpty()) {
        v[Math.floorMod(word.hashCode(), DIM - 3)] += 1;
      }
    }
    BufferedImage image = in.image();
    if (image != null) {
      for (int y = 0; y < image.getHeight(); y++) {
        for (int x = 0; x < image.getWidth(); x++) {
          int rgb = image.getRGB(x, y);
          v[DIM - 3] += ((rgb >> 16) & 0xff) / 255f;
          v[DIM - 2] += ((rgb >> 8) & 0xff) / 255f;
          v[DIM - 1] += (rgb & 0xff) / 255f;
        }
      }
      float pixels = image.getWidth() * image.getHeight();
      for (int i = DIM - 3; i < DIM; i++) {
        v[i] = 4 * v[i] / pixels;
      }
    }
    return v;
  }
}
