package io.rge.core.generation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.rge.core.image.ProcessedImage;
import io.rge.core.qwen25vl.KvCache;
import io.rge.core.qwen25vl.ModelInput;
import io.rge.core.qwen25vl.Qwen25VLModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * RGE query inference, batched and KV-cached: each prompt is continued until the model writes
 * {@code <emb>} or reaches the token limit (then {@code <emb>} is appended), and the query
 * embedding is the normalised final hidden state at that {@code <emb>}, which the last decoding
 * step computes from the cache (the sequence is never re-run).
 *
 * <p>Prompts are sorted by length and generated {@code batchSize} at a time, left-padded. A row
 * that is done leaves the batch: the cache keeps only unfinished rows, so finished sequences cost
 * nothing in later steps.
 */
public final class RationaleGenerator {
  private final Qwen25VLModel model;
  private final int embId;
  private final int padId;
  private final int[] suppressed;

  /**
   * The vision placeholders ({@code <|vision_start|>}, {@code <|image_pad|>}, …) are never
   * generated: they stand for image features, so a rationale holding one could not be run through
   * the model again (a model trained from scratch emits them before it learns to write).
   */
  public RationaleGenerator(Qwen25VLModel model, int embId, int padId) {
    this.model = model;
    this.embId = embId;
    this.padId = padId;
    var t = model.config().tokens();
    this.suppressed =
        new int[] {t.visionStart(), t.visionEnd(), t.visionPad(), t.imagePad(), t.videoPad()};
  }

  /** Results in the order of {@code requests}. Runs without gradients. */
  public List<GeneratedQuery> generate(
      NDManager parent, List<GenerationRequest> requests, GenerationSettings settings) {
    Integer[] order = new Integer[requests.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingInt(i -> requests.get(i).promptIds().length));
    GeneratedQuery[] results = new GeneratedQuery[requests.size()];
    try (NDManager scope = parent.newSubManager()) {
      TokenChooser chooser =
          new TokenChooser(
              settings.decoding(), suppressed, model.config().text().vocabSize(), scope);
      for (int start = 0; start < order.length; start += settings.batchSize()) {
        int end = Math.min(order.length, start + settings.batchSize());
        List<GenerationRequest> chunk = new ArrayList<>();
        for (int i = start; i < end; i++) {
          chunk.add(requests.get(order[i]));
        }
        List<GeneratedQuery> out = generateBatch(scope, chunk, settings.maxNewTokens(), chooser);
        for (int i = start; i < end; i++) {
          results[order[i]] = out.get(i - start);
        }
      }
    }
    return Arrays.asList(results);
  }

  private List<GeneratedQuery> generateBatch(
      NDManager parent, List<GenerationRequest> batch, int maxNewTokens, TokenChooser chooser) {
    int b = batch.size();
    int length = batch.stream().mapToInt(r -> r.promptIds().length).max().orElseThrow();
    int[][] ids = new int[b][length];
    int[][] keyValid = new int[b][length];
    List<ProcessedImage> images = new ArrayList<>();
    for (int r = 0; r < b; r++) {
      int[] p = batch.get(r).promptIds();
      int pad = length - p.length;
      Arrays.fill(ids[r], 0, pad, padId);
      System.arraycopy(p, 0, ids[r], pad, p.length);
      Arrays.fill(keyValid[r], pad, length, 1);
      images.addAll(batch.get(r).images());
    }
    List<List<Integer>> generated = new ArrayList<>();
    boolean[] appended = new boolean[b];
    float[][] embeddings = new float[b][];
    int[] active = new int[b]; // original row of each cache row
    for (int r = 0; r < b; r++) {
      active[r] = r;
      generated.add(new ArrayList<>());
    }
    try (NDManager scope = parent.newSubManager();
        KvCache cache = model.newCache(scope)) {
      int[] next;
      try (NDManager step = scope.newSubManager()) {
        NDArray hidden = model.prefill(step, new ModelInput(ids, keyValid, images), cache);
        next = maxNewTokens == 0 ? null : chooser.choose(model.logits(hidden));
      }
      for (int r = 0; r < b; r++) {
        int token = next == null ? embId : next[r];
        appended[r] = next == null;
        generated.get(r).add(token);
      }
      while (active.length > 0) {
        int[] feed = new int[active.length];
        int[][] valid = new int[active.length][];
        for (int i = 0; i < active.length; i++) {
          List<Integer> g = generated.get(active[i]);
          feed[i] = g.get(g.size() - 1);
          valid[i] = Arrays.copyOf(keyValid[i], keyValid[i].length + 1);
          valid[i][valid[i].length - 1] = 1;
        }
        keyValid = valid;
        List<Integer> stillActive = new ArrayList<>();
        try (NDManager step = scope.newSubManager()) {
          NDArray hidden = model.decode(step, feed, cache, keyValid);
          boolean anyEmb = false;
          for (int token : feed) {
            anyEmb |= token == embId;
          }
          float[] hiddenValues = anyEmb ? hidden.toFloatArray() : null;
          int width = (int) hidden.getShape().get(1);
          boolean needLogits = false;
          for (int i = 0; i < active.length; i++) {
            if (feed[i] != embId && generated.get(active[i]).size() < maxNewTokens) {
              needLogits = true;
            }
          }
          int[] chosen = needLogits ? chooser.choose(model.logits(hidden)) : null;
          for (int i = 0; i < active.length; i++) {
            int row = active[i];
            List<Integer> g = generated.get(row);
            if (feed[i] == embId) {
              embeddings[row] = normalised(hiddenValues, i * width, width);
              continue;
            }
            if (g.size() >= maxNewTokens) {
              g.add(embId);
              appended[row] = true;
            } else {
              g.add(chosen[i]);
            }
            stillActive.add(i);
          }
        }
        if (stillActive.size() < active.length) {
          int[] keep = stillActive.stream().mapToInt(Integer::intValue).toArray();
          int[] nextActive = new int[keep.length];
          int[][] nextValid = new int[keep.length][];
          for (int i = 0; i < keep.length; i++) {
            nextActive[i] = active[keep[i]];
            nextValid[i] = keyValid[keep[i]];
          }
          if (keep.length > 0) {
            model.keepRows(scope, cache, keep);
          }
          active = nextActive;
          keyValid = nextValid;
        }
      }
    }
    List<GeneratedQuery> out = new ArrayList<>(b);
    for (int r = 0; r < b; r++) {
      int[] tokens = generated.get(r).stream().mapToInt(Integer::intValue).toArray();
      out.add(new GeneratedQuery(tokens, appended[r], embeddings[r]));
    }
    return out;
  }

  private static float[] normalised(float[] values, int offset, int width) {
    double sum = 0;
    for (int i = 0; i < width; i++) {
      sum += (double) values[offset + i] * values[offset + i];
    }
    double norm = Math.sqrt(sum);
    float[] out = new float[width];
    for (int i = 0; i < width; i++) {
      out[i] = (float) (values[offset + i] / norm);
    }
    return out;
  }
}
