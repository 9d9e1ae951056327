package io.rge.eval.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddingCacheTest {
  private static final String MODEL = "0123456789abcdef0123456789abcdef";

  @TempDir Path root;

  private static CacheScope queries() {
    return CacheScope.queries(MODEL, "ImageNet-1K", "mmeb", true, 128);
  }

  private static List<Path> chunks(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(p -> p.getFileName().toString().startsWith("chunk-")).sorted().toList();
    }
  }

  @Test
  void aNonFiniteEmbeddingIsNeverWritten() throws IOException {
    EmbeddingCache cache = EmbeddingCache.open(root, queries(), 3);
    String key = EmbeddingCache.key("q", null);
    for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY}) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  cache.append(
                      List.of(key), List.of(CachedEmbedding.plain(new float[] {1, bad, 0}))));
      assertTrue(e.getMessage().contains("at index 1"), e.getMessage());
    }
    assertEquals(List.of(), chunks(cache.folder()));
    assertFalse(EmbeddingCache.open(root, queries(), 3).contains(key));
  }

  @Test
  void appendedEntriesSurviveReopening() throws IOException {
    EmbeddingCache cache = EmbeddingCache.open(root, queries(), 3);
    String a = EmbeddingCache.key("<|image_1|> a query", "ImageNet-1K/a.jpg");
    String b = EmbeddingCache.key("text only", null);
    String c = EmbeddingCache.key("third", null);
    cache.append(
        List.of(a, b),
        List.of(
            new CachedEmbedding(
                new float[] {0.5f, -1e-30f, Float.MIN_VALUE}, "ein Grund → ✓", 7, false),
            new CachedEmbedding(new float[] {1, 2, 3}, "", 0, true)));
    cache.append(List.of(c), List.of(CachedEmbedding.plain(new float[] {-0f, 4, 5})));
    assertEquals(3, cache.size());

    EmbeddingCache again = EmbeddingCache.open(root, queries(), 3);
    assertEquals(3, again.size());
    assertEquals(2, again.chunksRead());
    CachedEmbedding ea = again.get(a).orElseThrow();
    assertArrayEquals(new float[] {0.5f, -1e-30f, Float.MIN_VALUE}, ea.vector());
    assertEquals("ein Grund → ✓", ea.rationale());
    assertEquals(7, ea.rationaleTokens());
    assertFalse(ea.embAppended());
    assertTrue(again.get(b).orElseThrow().embAppended());
    assertEquals(
        Float.floatToRawIntBits(-0f),
        Float.floatToRawIntBits(again.get(c).orElseThrow().vector()[0]),
        "bit-exact");
    assertFalse(again.contains(EmbeddingCache.key("never added", null)));
  }

  @Test
  void chunksAreWrittenWholeWithNoTempFilesLeft() throws IOException {
    EmbeddingCache cache = EmbeddingCache.open(root, queries(), 2);
    for (int i = 0; i < 3; i++) {
      cache.append(
          List.of(EmbeddingCache.key("q" + i, null)),
          List.of(CachedEmbedding.plain(new float[] {i, i})));
    }
    Path folder = queries().folder(root);
    assertEquals(3, chunks(folder).size());
    try (Stream<Path> files = Files.list(folder)) {
      assertTrue(files.noneMatch(p -> p.getFileName().toString().contains(".tmp")));
    }
    assertTrue(Files.isRegularFile(folder.resolve("scope.json")));
  }

  @Test
  void damagedChunksAreIgnoredAndTheRestIsKept() throws IOException {
    EmbeddingCache cache = EmbeddingCache.open(root, queries(), 2);
    String good = EmbeddingCache.key("good", null);
    String flipped = EmbeddingCache.key("flipped", null);
    String truncated = EmbeddingCache.key("truncated", null);
    cache.append(List.of(good), List.of(CachedEmbedding.plain(new float[] {1, 2})));
    Path folder = queries().folder(root);
    List<Path> before = chunks(folder);
    cache.append(List.of(flipped), List.of(CachedEmbedding.plain(new float[] {3, 4})));
    Path flippedChunk = newOne(chunks(folder), before);
    before = chunks(folder);
    cache.append(List.of(truncated), List.of(CachedEmbedding.plain(new float[] {5, 6})));
    Path truncatedChunk = newOne(chunks(folder), before);

    byte[] bytes = Files.readAllBytes(flippedChunk);
    bytes[8 + 8 + 32 + 1] ^= 0x10; // a bit of the first float
    Files.write(flippedChunk, bytes);
    byte[] whole = Files.readAllBytes(truncatedChunk);
    Files.write(truncatedChunk, java.util.Arrays.copyOf(whole, whole.length - 5));

    EmbeddingCache reopened = EmbeddingCache.open(root, queries(), 2);
    assertEquals(1, reopened.size());
    assertTrue(reopened.contains(good));
    assertFalse(reopened.contains(flipped), "checksum mismatch");
    assertFalse(reopened.contains(truncated), "truncated");
    assertEquals(2, reopened.chunksIgnored());
  }

  private static Path newOne(List<Path> after, List<Path> before) {
    return after.stream().filter(p -> !before.contains(p)).findFirst().orElseThrow();
  }

  @Test
  void scopesLiveInSeparateFoldersAndAMismatchFails() {
    Path reasoning = queries().folder(root);
    assertEquals(
        root.resolve("0123456789abcdef/ImageNet-1K/mmeb/queries-reasoning-128"), reasoning);
    assertEquals(
        root.resolve("0123456789abcdef/ImageNet-1K/mmeb/queries-plain"),
        CacheScope.queries(MODEL, "ImageNet-1K", "mmeb", false, 128).folder(root));
    assertEquals(
        root.resolve("0123456789abcdef/ImageNet-1K/mmeb/candidates"),
        CacheScope.candidates(MODEL, "ImageNet-1K", "mmeb").folder(root));
    assertEquals(
        root.resolve("0123456789abcdef/_._x_y/mmeb/candidates"),
        CacheScope.candidates(MODEL, "../x y", "mmeb").folder(root),
        "dataset names cannot leave the cache");

    EmbeddingCache.open(root, queries(), 4);
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> EmbeddingCache.open(root, queries(), 8));
    assertTrue(e.getMessage().contains("belongs to"), e.getMessage());
  }

  @Test
  void wrongSizesAreRejected() {
    EmbeddingCache cache = EmbeddingCache.open(root, queries(), 2);
    assertThrows(
        IllegalArgumentException.class,
        () ->
            cache.append(
                List.of(EmbeddingCache.key("x", null)),
                List.of(CachedEmbedding.plain(new float[] {1, 2, 3}))));
    assertThrows(
        IllegalArgumentException.class,
        () -> cache.append(List.of("x", "y"), List.of(CachedEmbedding.plain(new float[2]))));
  }

  @Test
  void keysSeparateTextFromImagePath() {
    assertNotEquals(EmbeddingCache.key("ab", "c"), EmbeddingCache.key("a", "bc"));
    assertNotEquals(EmbeddingCache.key("a", null), EmbeddingCache.key("a", ""));
    assertEquals(EmbeddingCache.key("a", "p.png"), EmbeddingCache.key("a", "p.png"));
    assertEquals(64, EmbeddingCache.key("a", null).length());
  }
}
