package io.rge.core.generation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.rge.core.Cosine;
import io.rge.core.image.ProcessedImage;
import io.rge.core.qwen25vl.KvCache;
import io.rge.core.qwen25vl.ModelInput;
import io.rge.core.qwen25vl.Qwen25VLModel;
import io.rge.core.qwen25vl.Upcast;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * RGE query inference, batched and KV-cached: each prompt is continued until the model writes
 * {@code <emb>} or reaches the token limit (then {@code <emb>} is appended), and the query
 * embedding is the normalised final hidden state at that {@code <emb>}, which the last decoding
 * step computes from the cache (the sequence is never re-run).
 *
 * <p>Prompts are taken in order of length into {@code batchSize} slots. With continuous batching a
 * row that is done leaves the cache at once and the next prompts are prefilled and appended to the
 * cache before the next step; with static batching a new batch starts only when the last one has
 * ended. All rows of the cache write to the same column: each row is left-padded (masked) in front
 * of its prompt, and its M-RoPE delta absorbs the padding, so a row computes what it would alone.
 * Columns that have become padding in every row are dropped, bounding the cache to the longest live
 * row.
 *
 * <p>With {@code sharePrefix}, the prompts' common text prefix (system prompt, chat header, a
 * shared instruction; never image tokens) is encoded once and its keys and values copied to every
 * row.
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
    int[] prefix = settings.sharePrefix() ? SharedPrefix.of(requests, suppressed) : new int[0];
    FixedRequests source = new FixedRequests(requests, prefix);
    run(parent, source, settings);
    return source.results();
  }

  /**
   * Generates until {@code source}, asked while no row is live, has nothing more: a prompt joins
   * the running batch when a slot frees (continuous batching; static batching waits for the whole
   * batch to end), a cancelled job's row leaves it before the next step, and each row's result goes
   * to its job as soon as it is done. Runs without gradients, on the calling thread; {@code
   * settings.sharePrefix()} is the source's business ({@link GenerationSource#sharedPrefix}).
   *
   * @throws RuntimeException what the model threw, after every admitted job has been failed with it
   */
  public void run(NDManager parent, GenerationSource source, GenerationSettings settings) {
    boolean refill = settings.batching() == GenerationSettings.Batching.CONTINUOUS;
    try (NDManager scope = parent.newSubManager()) {
      TokenChooser chooser =
          new TokenChooser(
              settings.decoding(), suppressed, model.config().text().vocabSize(), scope);
      int[] prefix = source.sharedPrefix();
      try (KvCache prefixCache = prefix.length == 0 ? null : encode(scope, prefix);
          Slots slots = new Slots()) {
        try {
          // Each admission costs a prefill and a cache merge: wait until a quarter of the slots
          // (or every waiting prompt) can be admitted together.
          int admitAtLeast = Math.max(1, settings.batchSize() / 4);
          while (true) {
            slots.dropCancelled(scope);
            int free = settings.batchSize() - slots.size();
            int waiting = source.waiting();
            boolean idle = slots.size() == 0;
            boolean worthIt = waiting > 0 && free >= Math.min(admitAtLeast, waiting);
            int wanted = free > 0 && (idle || refill && worthIt) ? free : 0;
            List<GenerationJob> admitted = source.take(wanted, idle);
            if (!admitted.isEmpty()) {
              admit(scope, admitted, settings, prefix, prefixCache, chooser, slots);
            } else if (idle) {
              return;
            }
            if (slots.size() > 0) {
              source.stepped(slots.size());
              step(scope, chooser, slots);
            }
          }
        } catch (RuntimeException e) {
          for (Row row : slots.rows) {
            row.job.fail(e);
          }
          throw e;
        }
      }
    }
  }

  /** The prefix's keys and values, one row. */
  private KvCache encode(NDManager scope, int[] prefix) {
    KvCache cache = model.newCache(scope);
    try (NDManager step = scope.newSubManager()) {
      model.prefill(step, ModelInput.single(prefix, List.of()), cache);
    }
    return cache;
  }

  /**
   * Prefills the admitted prompts together (left-padded, after the shared prefix when there is
   * one), chooses each one's first token and appends their rows to the slots' cache.
   */
  private void admit(
      NDManager scope,
      List<GenerationJob> admitted,
      GenerationSettings settings,
      int[] prefix,
      KvCache prefixCache,
      TokenChooser chooser,
      Slots slots) {
    try {
      admitOrThrow(scope, admitted, settings, prefix, prefixCache, chooser, slots);
    } catch (RuntimeException e) {
      for (GenerationJob job : admitted) {
        job.fail(e);
      }
      throw e;
    }
  }

  private void admitOrThrow(
      NDManager scope,
      List<GenerationJob> admitted,
      GenerationSettings settings,
      int[] prefix,
      KvCache prefixCache,
      TokenChooser chooser,
      Slots slots) {
    List<int[]> rest = new ArrayList<>(admitted.size());
    List<ProcessedImage> images = new ArrayList<>();
    int[] limits = new int[admitted.size()];
    boolean anyTokens = false;
    for (int i = 0; i < admitted.size(); i++) {
      GenerationRequest request = admitted.get(i).request();
      int[] ids = request.promptIds();
      rest.add(Arrays.copyOfRange(ids, prefix.length, ids.length));
      images.addAll(request.images());
      limits[i] = request.limit(settings.maxNewTokens());
      anyTokens |= limits[i] > 0;
    }
    ModelInput input = ModelInput.leftPadded(rest, padId, images);
    KvCache incoming;
    int[] first;
    try (NDManager step = scope.newSubManager()) {
      // Every admitted row continues the one cached prefix row.
      incoming =
          prefixCache == null
              ? model.newCache(scope)
              : prefixCache.copyRows(scope, step, new int[admitted.size()]);
      NDArray hidden = model.prefill(step, prefix, input, incoming); // [B, H]
      first = anyTokens ? chooser.choose(model.logits(hidden)) : null;
    }
    List<Row> rows = new ArrayList<>(admitted.size());
    for (int i = 0; i < admitted.size(); i++) {
      int[] valid = new int[prefix.length + input.length()];
      Arrays.fill(valid, 0, prefix.length, 1);
      System.arraycopy(input.mask()[i], 0, valid, prefix.length, input.length());
      Row row = new Row(admitted.get(i), limits[i], valid);
      row.appended = limits[i] == 0;
      row.generated.add(row.appended ? embId : first[i]);
      rows.add(row);
    }
    slots.append(scope, incoming, rows);
  }

  /**
   * Feeds each row's last token. A row that fed {@code <emb>} keeps the hidden state there as its
   * embedding and retires; a row at the limit gets {@code <emb>} appended (fed next step).
   */
  private void step(NDManager scope, TokenChooser chooser, Slots slots) {
    List<Row> rows = slots.rows;
    int[] feed = new int[rows.size()];
    int[][] valid = new int[rows.size()][];
    for (int i = 0; i < rows.size(); i++) {
      Row row = rows.get(i);
      feed[i] = row.last();
      row.keyValid = Arrays.copyOf(row.keyValid, row.keyValid.length + 1);
      row.keyValid[row.keyValid.length - 1] = 1;
      valid[i] = row.keyValid;
    }
    List<Integer> stillActive = new ArrayList<>();
    try (NDManager step = scope.newSubManager()) {
      NDArray hidden = model.decode(step, feed, slots.cache, valid); // [B, H]
      boolean anyEmb = false;
      boolean needLogits = false;
      for (int i = 0; i < feed.length; i++) {
        anyEmb |= feed[i] == embId;
        needLogits |= feed[i] != embId && rows.get(i).generated.size() < rows.get(i).limit;
      }
      float[] hiddenValues = anyEmb ? Upcast.hostFloats(hidden) : null;
      int width = (int) hidden.getShape().get(1);
      int[] chosen = needLogits ? chooser.choose(model.logits(hidden)) : null;
      for (int i = 0; i < feed.length; i++) {
        Row row = rows.get(i);
        if (feed[i] == embId) {
          float[] embedding = Cosine.normalised(hiddenValues, i * width, width);
          row.job.complete(row.result(embedding));
          continue;
        }
        if (row.generated.size() >= row.limit) {
          row.generated.add(embId);
          row.appended = true;
        } else {
          row.generated.add(chosen[i]);
        }
        stillActive.add(i);
      }
    }
    slots.retire(scope, stillActive);
  }

  /** One prompt being continued: what it has generated and which cached columns are its own. */
  private static final class Row {
    final GenerationJob job;
    final int limit;
    final List<Integer> generated = new ArrayList<>();
    boolean appended;
    int[] keyValid; // [cache length]: 1 where the column holds one of this row's tokens

    Row(GenerationJob job, int limit, int[] keyValid) {
      this.job = job;
      this.limit = limit;
      this.keyValid = keyValid;
    }

    int last() {
      return generated.get(generated.size() - 1);
    }

    GeneratedQuery result(float[] embedding) {
      int[] tokens = generated.stream().mapToInt(Integer::intValue).toArray();
      return new GeneratedQuery(tokens, appended, embedding);
    }
  }

  /** The rows being generated and their cache, row {@code i} of the cache being row {@code i}. */
  private final class Slots implements AutoCloseable {
    final List<Row> rows = new ArrayList<>();
    KvCache cache; // null while no row is live

    int size() {
      return rows.size();
    }

    /** Takes over {@code incoming} (the cache of {@code added}) or appends it to the cache. */
    void append(NDManager scope, KvCache incoming, List<Row> added) {
      if (cache == null) {
        cache = incoming;
      } else {
        try (NDManager step = scope.newSubManager()) {
          cache.appendRows(step, incoming);
        }
        incoming.close();
      }
      rows.addAll(added);
      for (Row row : rows) {
        int missing = cache.length() - row.keyValid.length;
        if (missing > 0) {
          int[] padded = new int[cache.length()];
          System.arraycopy(row.keyValid, 0, padded, missing, row.keyValid.length);
          row.keyValid = padded;
        }
      }
    }

    /** Removes the rows of cancelled jobs. */
    void dropCancelled(NDManager scope) {
      List<Integer> keep = new ArrayList<>(rows.size());
      for (int i = 0; i < rows.size(); i++) {
        if (!rows.get(i).job.cancelled()) {
          keep.add(i);
        }
      }
      retire(scope, keep);
    }

    /** Keeps the listed rows (indices into {@link #rows}); frees the cache when none is left. */
    void retire(NDManager scope, List<Integer> keep) {
      if (keep.size() == rows.size()) {
        return;
      }
      if (keep.isEmpty()) {
        rows.clear();
        cache.close();
        cache = null;
        return;
      }
      int[] index = keep.stream().mapToInt(Integer::intValue).toArray();
      List<Row> kept = new ArrayList<>(index.length);
      for (int i : index) {
        kept.add(rows.get(i));
      }
      try (NDManager step = scope.newSubManager()) {
        cache.keepRows(step, index);
      }
      rows.clear();
      rows.addAll(kept);
      dropSharedPadding();
    }

    /** Drops the leading columns that every remaining row masks (left by rows that retired). */
    private void dropSharedPadding() {
      int columns = cache.length();
      for (Row row : rows) {
        int first = 0;
        while (first < row.keyValid.length && row.keyValid[first] == 0) {
          first++;
        }
        columns = Math.min(columns, first);
      }
      if (columns == 0) {
        return;
      }
      cache.dropLeading(columns);
      for (Row row : rows) {
        row.keyValid = Arrays.copyOfRange(row.keyValid, columns, row.keyValid.length);
      }
    }

    @Override
    public void close() {
      if (cache != null) {
        cache.close();
      }
    }
  }
}
