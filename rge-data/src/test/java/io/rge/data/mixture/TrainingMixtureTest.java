package io.rge.data.mixture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TrainingMixtureTest {

  /** Rows "name:i" for i in [0, n). */
  private static List<String> rows(String name, int n) {
    return IntStream.range(0, n).mapToObj(i -> name + ":" + i).toList();
  }

  private static TrainingMixture<String> mixture(long seed, BatchMode mode) {
    return TrainingMixture.<String>builder(seed, 4)
        .add("a", rows("a", 10), 1.0)
        .add("b", rows("b", 6), 2.0)
        .add("c", rows("c", 8), 0.5)
        .mode(mode)
        .build();
  }

  private static List<List<String>> take(BatchCursor<String> cursor, int n) {
    List<List<String>> batches = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      batches.add(cursor.next());
    }
    return batches;
  }

  @Test
  void sameSeedSameBatchesOtherSeedOtherBatches() {
    List<List<String>> first = take(mixture(7, BatchMode.MIXED).start(), 20);
    assertEquals(first, take(mixture(7, BatchMode.MIXED).start(), 20));
    assertNotEquals(first, take(mixture(8, BatchMode.MIXED).start(), 20));
  }

  @Test
  void weightsSetDrawsPerEpoch() {
    TrainingMixture<String> mixture =
        TrainingMixture.<String>builder(3, 4)
            .add("a", rows("a", 10), 1.0)
            .add("b", rows("b", 6), 2.0)
            .add("c", rows("c", 8), 0.5)
            .dropLast(false)
            .build();
    // 10 + 12 + 4 = 26 draws -> 7 batches, the last of 2.
    assertEquals(7, mixture.batchesPerEpoch());
    Map<String, Integer> counts = new HashMap<>();
    List<List<String>> epoch = take(mixture.start(), 7);
    assertEquals(2, epoch.get(6).size());
    epoch.forEach(batch -> batch.forEach(row -> counts.merge(row, 1, Integer::sum)));
    for (String row : rows("a", 10)) {
      assertEquals(1, counts.get(row), row);
    }
    for (String row : rows("b", 6)) {
      assertEquals(2, counts.get(row), "weight 2 takes each row twice: " + row);
    }
    long cRows = counts.keySet().stream().filter(r -> r.startsWith("c:")).count();
    assertEquals(4, cRows, "weight 0.5 takes a random half");
    assertTrue(
        counts.entrySet().stream()
            .filter(e -> e.getKey().startsWith("c:"))
            .allMatch(e -> e.getValue() == 1));
  }

  @Test
  void dropLastKeepsOnlyFullBatchesAndEpochsReshuffle() {
    TrainingMixture<String> mixture = mixture(11, BatchMode.MIXED);
    assertEquals(6, mixture.batchesPerEpoch(), "26 draws / 4 -> 6 full batches");
    BatchCursor<String> cursor = mixture.start();
    List<List<String>> epoch0 = take(cursor, 6);
    assertEquals(1, cursor.position().epoch());
    assertEquals(0, cursor.position().batch());
    List<List<String>> epoch1 = take(cursor, 6);
    assertTrue(epoch0.stream().allMatch(b -> b.size() == 4));
    assertNotEquals(epoch0, epoch1);
  }

  @Test
  void savedPositionReplaysExactlyTheSameBatches() throws Exception {
    TrainingMixture<String> mixture = mixture(5, BatchMode.MIXED);
    BatchCursor<String> uninterrupted = mixture.start();
    List<List<String>> expected = take(uninterrupted, 25);

    BatchCursor<String> first = mixture.start();
    take(first, 9);
    String saved = new ObjectMapper().writeValueAsString(first.position());
    MixturePosition restored = new ObjectMapper().readValue(saved, MixturePosition.class);
    assertEquals(first.position(), restored);

    // A fresh mixture object built from the same data, as after a restart.
    BatchCursor<String> resumed = mixture(5, BatchMode.MIXED).resume(restored);
    assertEquals(expected.subList(9, 25), take(resumed, 16));
  }

  @Test
  void resumeRefusesAPositionFromAnotherMixture() {
    MixturePosition position = mixture(5, BatchMode.MIXED).start().position();
    TrainingMixture<String> otherRows =
        TrainingMixture.<String>builder(5, 4)
            .add("a", rows("x", 10), 1.0)
            .add("b", rows("b", 6), 2.0)
            .add("c", rows("c", 8), 0.5)
            .build();
    assertThrows(IllegalArgumentException.class, () -> otherRows.resume(position));
    assertThrows(
        IllegalArgumentException.class, () -> mixture(6, BatchMode.MIXED).resume(position));
    assertThrows(
        IllegalArgumentException.class, () -> mixture(5, BatchMode.PER_SUBSET).resume(position));
  }

  @Test
  void perSubsetBatchesHoldOneSubsetEach() {
    TrainingMixture<String> mixture = mixture(9, BatchMode.PER_SUBSET);
    // a: 10 -> 2 full, b: 12 -> 3, c: 4 -> 1.
    assertEquals(6, mixture.batchesPerEpoch());
    List<List<String>> epoch = take(mixture.start(), 6);
    for (List<String> batch : epoch) {
      String subset = batch.get(0).substring(0, 1);
      assertTrue(batch.stream().allMatch(r -> r.startsWith(subset + ":")), batch.toString());
    }
  }

  @Test
  void rejectsMixturesWithoutAFullBatch() {
    assertThrows(
        IllegalArgumentException.class,
        () -> TrainingMixture.<String>builder(1, 8).add("a", rows("a", 5), 1.0).build());
    assertThrows(
        IllegalArgumentException.class,
        () -> TrainingMixture.<String>builder(1, 2).add("a", rows("a", 5), 0.0));
  }
}
