package io.rge.core.generation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.rge.core.Cosine;
import io.rge.core.image.ProcessedImage;
import io.rge.core.qwen25vl.KvCache;
import io.rge.core.qwen25vl.ModelInput;
import io.rge.core.qwen25vl.Qwen25VLModel;
import java.util.ArrayList;
import java.util.Arrays;
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
    int[] lengths = requests.stream().mapToInt(r -> r.promptIds().length).toArray();
    GeneratedQuery[] results = new GeneratedQuery[requests.size()];
    try (NDManager scope = parent.newSubManager()) {
      TokenChooser chooser =
          new TokenChooser(
              settings.decoding(), suppressed, model.config().text().vocabSize(), scope);
      for (int[] rows : LengthBatches.of(lengths, settings.batchSize())) {
        List<GenerationRequest> chunk = new ArrayList<>();
        for (int row : rows) {
          chunk.add(requests.get(row));
        }
        List<GeneratedQuery> out = generateBatch(scope, chunk, settings.maxNewTokens(), chooser);
        for (int i = 0; i < rows.length; i++) {
          results[rows[i]] = out.get(i);
        }
      }
    }
    return Arrays.asList(results);
  }

  /** One batch, start to end: prefill the prompts, then step until every row has retired. */
  private List<GeneratedQuery> generateBatch(
      NDManager parent, List<GenerationRequest> batch, int maxNewTokens, TokenChooser chooser) {
    Rows rows = new Rows(batch.size(), maxNewTokens);
    try (NDManager scope = parent.newSubManager();
        KvCache cache = model.newCache(scope)) {
      prefill(scope, cache, batch, chooser, rows);
      while (rows.active.length > 0) {
        step(scope, cache, chooser, rows);
      }
    }
    return rows.results();
  }

  /** Runs the left-padded prompts into the cache and chooses each row's first token. */
  private void prefill(
      NDManager scope,
      KvCache cache,
      List<GenerationRequest> batch,
      TokenChooser chooser,
      Rows rows) {
    List<int[]> prompts = new ArrayList<>(batch.size());
    List<ProcessedImage> images = new ArrayList<>();
    for (GenerationRequest r : batch) {
      prompts.add(r.promptIds());
      images.addAll(r.images());
    }
    ModelInput input = ModelInput.leftPadded(prompts, padId, images);
    rows.keyValid = input.mask();
    int[] next;
    try (NDManager step = scope.newSubManager()) {
      NDArray hidden = model.prefill(step, input, cache); // [B, H]
      next = rows.maxNewTokens == 0 ? null : chooser.choose(model.logits(hidden));
    }
    for (int r = 0; r < batch.size(); r++) {
      rows.generated.get(r).add(next == null ? embId : next[r]);
      rows.appended[r] = next == null;
    }
  }

  /**
   * Feeds each active row's last token. A row that fed {@code <emb>} keeps the hidden state there
   * as its embedding and retires; a row at the limit gets {@code <emb>} appended (fed next step).
   */
  private void step(NDManager scope, KvCache cache, TokenChooser chooser, Rows rows) {
    int[] active = rows.active;
    int[] feed = new int[active.length];
    int[][] valid = new int[active.length][];
    for (int i = 0; i < active.length; i++) {
      List<Integer> g = rows.generated.get(active[i]);
      feed[i] = g.get(g.size() - 1);
      valid[i] = Arrays.copyOf(rows.keyValid[i], rows.keyValid[i].length + 1);
      valid[i][valid[i].length - 1] = 1;
    }
    rows.keyValid = valid;
    List<Integer> stillActive = new ArrayList<>();
    try (NDManager step = scope.newSubManager()) {
      NDArray hidden = model.decode(step, feed, cache, rows.keyValid); // [B, H]
      boolean anyEmb = false;
      for (int token : feed) {
        anyEmb |= token == embId;
      }
      float[] hiddenValues = anyEmb ? hidden.toFloatArray() : null;
      int width = (int) hidden.getShape().get(1);
      boolean needLogits = false;
      for (int i = 0; i < active.length; i++) {
        if (feed[i] != embId && rows.generated.get(active[i]).size() < rows.maxNewTokens) {
          needLogits = true;
        }
      }
      int[] chosen = needLogits ? chooser.choose(model.logits(hidden)) : null;
      for (int i = 0; i < active.length; i++) {
        int row = active[i];
        List<Integer> g = rows.generated.get(row);
        if (feed[i] == embId) {
          rows.embeddings[row] = Cosine.normalised(hiddenValues, i * width, width);
          continue;
        }
        if (g.size() >= rows.maxNewTokens) {
          g.add(embId);
          rows.appended[row] = true;
        } else {
          g.add(chosen[i]);
        }
        stillActive.add(i);
      }
    }
    retire(scope, cache, rows, stillActive);
  }

  /** Drops the rows that are done from the cache, so later steps cost them nothing. */
  private void retire(NDManager scope, KvCache cache, Rows rows, List<Integer> stillActive) {
    if (stillActive.size() == rows.active.length) {
      return;
    }
    int[] keep = stillActive.stream().mapToInt(Integer::intValue).toArray();
    int[] nextActive = new int[keep.length];
    int[][] nextValid = new int[keep.length][];
    for (int i = 0; i < keep.length; i++) {
      nextActive[i] = rows.active[keep[i]];
      nextValid[i] = rows.keyValid[keep[i]];
    }
    if (keep.length > 0) {
      model.keepRows(scope, cache, keep);
    }
    rows.active = nextActive;
    rows.keyValid = nextValid;
  }

  /** What one batch has generated so far, per original row, and which rows are still cached. */
  private static final class Rows {
    final int maxNewTokens;
    final List<List<Integer>> generated = new ArrayList<>();
    final boolean[] appended;
    final float[][] embeddings;
    int[] active; // the original row of each cache row
    int[][] keyValid; // [cache rows][cached positions]: which are real tokens

    Rows(int b, int maxNewTokens) {
      this.maxNewTokens = maxNewTokens;
      this.appended = new boolean[b];
      this.embeddings = new float[b][];
      this.active = new int[b];
      for (int r = 0; r < b; r++) {
        active[r] = r;
        generated.add(new ArrayList<>());
      }
    }

    List<GeneratedQuery> results() {
      List<GeneratedQuery> out = new ArrayList<>(appended.length);
      for (int r = 0; r < appended.length; r++) {
        int[] tokens = generated.get(r).stream().mapToInt(Integer::intValue).toArray();
        out.add(new GeneratedQuery(tokens, appended[r], embeddings[r]));
      }
      return out;
    }
  }
}
