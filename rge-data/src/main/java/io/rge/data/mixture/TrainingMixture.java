package io.rge.data.mixture;

import io.rge.data.mmeb.TrainRow;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Several training subsets mixed into fixed-size batches, deterministically from one seed.
 *
 * <p>One epoch draws {@code round(weight x size)} rows from each subset: weight 1 takes every row
 * once, 2 every row twice, 0.5 a random half (each pass over a subset is a fresh permutation). The
 * draws are then shuffled together ({@link BatchMode#MIXED}) or cut into single-subset batches
 * whose order is shuffled ({@link BatchMode#PER_SUBSET}), and cut into batches of {@code
 * batchSize}; an incomplete last batch is dropped when {@code dropLast} (in-batch negatives want
 * full batches). Epoch {@code e}'s order depends only on the seed, {@code e} and the subsets, so
 * {@link #resume} from a saved {@link MixturePosition} replays exactly the batches an uninterrupted
 * run would have seen. Caps are applied when subsets are loaded ({@link TrainSubsetLoader}); here
 * every given row is used.
 *
 * @param <T> row type
 */
public final class TrainingMixture<T> {
  private final long seed;
  private final int batchSize;
  private final BatchMode mode;
  private final boolean dropLast;
  private final List<String> names;
  private final List<List<T>> subsets;
  private final double[] weights;
  private final String fingerprint;
  private final int batchesPerEpoch;

  private TrainingMixture(Builder<T> builder) {
    this.seed = builder.seed;
    this.batchSize = builder.batchSize;
    this.mode = builder.mode;
    this.dropLast = builder.dropLast;
    this.names = List.copyOf(builder.names);
    this.subsets = List.copyOf(builder.subsets);
    this.weights = builder.weights.stream().mapToDouble(Double::doubleValue).toArray();
    this.fingerprint = computeFingerprint();
    this.batchesPerEpoch = plan(0).length;
    if (batchesPerEpoch == 0) {
      throw new IllegalArgumentException(
          "the mixture yields no full batch of "
              + batchSize
              + " rows per epoch; add rows or lower the batch size");
    }
  }

  public static <T> Builder<T> builder(long seed, int batchSize) {
    return new Builder<>(seed, batchSize);
  }

  /**
   * A builder holding loaded MMEB-train subsets, each named "subset/split" and weighted as its
   * {@link SubsetSpec} says.
   */
  public static Builder<TrainRow> forSubsets(long seed, int batchSize, List<LoadedSubset> subsets) {
    Builder<TrainRow> builder = builder(seed, batchSize);
    for (LoadedSubset subset : subsets) {
      builder.add(
          subset.spec().name() + "/" + subset.spec().split(),
          subset.rows(),
          subset.spec().weight());
    }
    return builder;
  }

  /** Batches from the first batch of epoch 0. */
  public BatchCursor<T> start() {
    return new BatchCursor<>(this, 0, 0);
  }

  /**
   * Batches from a saved position.
   *
   * @throws IllegalArgumentException when the position comes from a mixture with other subsets,
   *     rows, weights, batch size, mode or seed
   */
  public BatchCursor<T> resume(MixturePosition position) {
    if (!position.fingerprint().equals(fingerprint) || position.seed() != seed) {
      throw new IllegalArgumentException(
          "position "
              + position
              + " was saved from a different mixture (this one: fingerprint "
              + fingerprint
              + ", seed "
              + seed
              + "); the subsets, their rows, weights, batch size, mode and seed must be unchanged to resume");
    }
    if (position.batch() > batchesPerEpoch) {
      throw new IllegalArgumentException(
          "position batch "
              + position.batch()
              + " is past the "
              + batchesPerEpoch
              + " batches of an epoch");
    }
    return new BatchCursor<>(this, position.epoch(), position.batch());
  }

  public int batchesPerEpoch() {
    return batchesPerEpoch;
  }

  public int batchSize() {
    return batchSize;
  }

  public long seed() {
    return seed;
  }

  public List<String> subsetNames() {
    return names;
  }

  /** Hash of subset names, row contents, weights, batch size, mode and dropLast. */
  public String fingerprint() {
    return fingerprint;
  }

  /** Epoch {@code epoch} as batches of (subset << 32 | row) references. */
  long[][] plan(int epoch) {
    SplittableRandom random = new SplittableRandom(mix(seed, epoch));
    List<long[]> perSubset = new ArrayList<>();
    for (int s = 0; s < subsets.size(); s++) {
      perSubset.add(draws(s, random.split()));
    }
    List<long[]> batches = new ArrayList<>();
    if (mode == BatchMode.MIXED) {
      int total = perSubset.stream().mapToInt(a -> a.length).sum();
      long[] all = new long[total];
      int at = 0;
      for (long[] draws : perSubset) {
        System.arraycopy(draws, 0, all, at, draws.length);
        at += draws.length;
      }
      shuffle(all, random);
      cut(all, batches);
    } else {
      for (long[] draws : perSubset) {
        cut(draws, batches);
      }
      for (int i = batches.size() - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        long[] swap = batches.get(i);
        batches.set(i, batches.get(j));
        batches.set(j, swap);
      }
    }
    return batches.toArray(new long[0][]);
  }

  List<T> rows(long[] references) {
    List<T> batch = new ArrayList<>(references.length);
    for (long reference : references) {
      batch.add(subsets.get((int) (reference >>> 32)).get((int) reference));
    }
    return batch;
  }

  private long[] draws(int subset, SplittableRandom random) {
    int size = subsets.get(subset).size();
    int count = (int) Math.round(weights[subset] * size);
    long[] draws = new long[count];
    int[] permutation = new int[size];
    int filled = 0;
    while (filled < count) {
      for (int i = 0; i < size; i++) {
        permutation[i] = i;
      }
      for (int i = size - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        int swap = permutation[i];
        permutation[i] = permutation[j];
        permutation[j] = swap;
      }
      for (int i = 0; i < size && filled < count; i++) {
        draws[filled++] = ((long) subset << 32) | permutation[i];
      }
    }
    return draws;
  }

  private void cut(long[] draws, List<long[]> batches) {
    for (int from = 0; from < draws.length; from += batchSize) {
      int to = Math.min(from + batchSize, draws.length);
      if (to - from < batchSize && dropLast) {
        break;
      }
      long[] batch = new long[to - from];
      System.arraycopy(draws, from, batch, 0, batch.length);
      batches.add(batch);
    }
  }

  private static void shuffle(long[] values, SplittableRandom random) {
    for (int i = values.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      long swap = values[i];
      values[i] = values[j];
      values[j] = swap;
    }
  }

  /** A well-mixed stream seed per epoch (SplitMix64 finaliser over seed and epoch). */
  private static long mix(long seed, int epoch) {
    long z = seed + 0x9E3779B97F4A7C15L * (epoch + 1L);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private String computeFingerprint() {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(
          ("v1|" + batchSize + "|" + mode + "|" + dropLast).getBytes(StandardCharsets.UTF_8));
      for (int s = 0; s < names.size(); s++) {
        List<T> rows = subsets.get(s);
        long contentHash = 1;
        for (T row : rows) {
          contentHash = 31 * contentHash + Objects.hashCode(row);
        }
        String entry =
            "|" + names.get(s) + "|" + rows.size() + "|" + weights[s] + "|" + contentHash;
        digest.update(entry.getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(digest.digest(), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** Collects subsets; {@link #build()} checks there is at least one full batch per epoch. */
  public static final class Builder<T> {
    private final long seed;
    private final int batchSize;
    private BatchMode mode = BatchMode.MIXED;
    private boolean dropLast = true;
    private final List<String> names = new ArrayList<>();
    private final List<List<T>> subsets = new ArrayList<>();
    private final List<Double> weights = new ArrayList<>();

    private Builder(long seed, int batchSize) {
      if (batchSize < 1) {
        throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
      }
      this.seed = seed;
      this.batchSize = batchSize;
    }

    /**
     * Adds a subset.
     *
     * @param rows its rows (already capped); kept by reference, so do not change it afterwards
     * @param weight rows drawn per epoch = round(weight x rows); positive
     */
    public Builder<T> add(String name, List<T> rows, double weight) {
      if (names.contains(name)) {
        throw new IllegalArgumentException("subset " + name + " added twice");
      }
      if (!(weight > 0) || Double.isInfinite(weight)) {
        throw new IllegalArgumentException(
            "weight of " + name + " must be positive and finite, got " + weight);
      }
      if (rows.isEmpty()) {
        throw new IllegalArgumentException("subset " + name + " has no rows");
      }
      names.add(name);
      subsets.add(rows);
      weights.add(weight);
      return this;
    }

    public Builder<T> mode(BatchMode batchMode) {
      this.mode = Objects.requireNonNull(batchMode);
      return this;
    }

    /** Whether an incomplete last batch of an epoch is dropped (default true). */
    public Builder<T> dropLast(boolean drop) {
      this.dropLast = drop;
      return this;
    }

    public TrainingMixture<T> build() {
      if (names.isEmpty()) {
        throw new IllegalArgumentException("a mixture needs at least one subset");
      }
      return new TrainingMixture<>(this);
    }
  }
}
