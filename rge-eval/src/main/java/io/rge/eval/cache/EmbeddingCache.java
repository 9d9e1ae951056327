package io.rge.eval.cache;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.rge.core.NonFinite;
import io.rge.core.files.AtomicFiles;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embeddings of one {@link CacheScope} on disk, written incrementally so that an interrupted
 * evaluation loses at most the batch in flight.
 *
 * <p>Each {@link #append} writes one chunk file ({@code chunk-*.bin}) through a temp file and an
 * atomic rename, so a chunk is either complete or absent. A chunk holds entries keyed by {@link
 * #key(String, String)} (SHA-256 of the embedded text and image path) and ends with a CRC-32; a
 * chunk that fails its check is logged and ignored, and its items are embedded again. The folder's
 * {@code scope.json} records the scope; opening a folder whose scope differs fails.
 *
 * <p>Chunk layout (little-endian): magic {@code RGEEMB01}, int dimension, int count, then per entry
 * 32 key bytes, dimension floats, int rationale token count, byte emb-appended flag, int rationale
 * byte length and its UTF-8 bytes; finally the CRC-32 of everything before it as a long.
 */
public final class EmbeddingCache {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddingCache.class);
  private static final byte[] MAGIC = "RGEEMB01".getBytes(StandardCharsets.US_ASCII);
  private static final String SCOPE_FILE = "scope.json";
  private static final int KEY_BYTES = 32;
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path folder;
  private final int dimension;
  private final Map<String, CachedEmbedding> entries = new HashMap<>();
  private int chunksRead;
  private int chunksIgnored;

  private EmbeddingCache(Path folder, int dimension) {
    this.folder = folder;
    this.dimension = dimension;
  }

  /**
   * Opens (creating when absent) the cache of {@code scope} under {@code root} and reads its
   * chunks.
   *
   * @param dimension the embedding size every entry must have
   * @throws IllegalStateException when the folder holds a different scope
   */
  public static EmbeddingCache open(Path root, CacheScope scope, int dimension) {
    if (dimension <= 0) {
      throw new IllegalArgumentException("dimension must be > 0, got " + dimension);
    }
    Path folder = scope.folder(root);
    EmbeddingCache cache = new EmbeddingCache(folder, dimension);
    try {
      Files.createDirectories(folder);
      cache.checkScope(scope.describe(dimension));
      cache.readChunks();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open embedding cache " + folder, e);
    }
    return cache;
  }

  /** The cache key of a text and image path (null for none): hex SHA-256. */
  public static String key(String text, String imagePath) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(text.getBytes(StandardCharsets.UTF_8));
      // A separator no text contains, then the path: ("ab", "c") and ("a", "bc") differ.
      digest.update((byte) 0);
      if (imagePath != null) {
        digest.update((byte) 1);
        digest.update(imagePath.getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  public Path folder() {
    return folder;
  }

  public Optional<CachedEmbedding> get(String key) {
    return Optional.ofNullable(entries.get(key));
  }

  public boolean contains(String key) {
    return entries.containsKey(key);
  }

  /** Entries held. */
  public int size() {
    return entries.size();
  }

  /** Chunk files read when the cache was opened. */
  public int chunksRead() {
    return chunksRead;
  }

  /** Chunk files ignored because they failed their checks. */
  public int chunksIgnored() {
    return chunksIgnored;
  }

  /** Adds entries and writes them as one new chunk file (atomically). */
  public void append(List<String> keys, List<CachedEmbedding> values) {
    if (keys.size() != values.size()) {
      throw new IllegalArgumentException(keys.size() + " keys for " + values.size() + " values");
    }
    if (keys.isEmpty()) {
      return;
    }
    for (CachedEmbedding v : values) {
      if (v.vector().length != dimension) {
        throw new IllegalArgumentException(
            "embedding of size " + v.vector().length + " in a cache of size " + dimension);
      }
      int bad = NonFinite.firstIndex(v.vector());
      if (bad >= 0) {
        throw new IllegalArgumentException(
            "embedding holding " + NonFinite.describe(v.vector(), bad) + " refused by " + folder);
      }
    }
    byte[] bytes = encode(keys, values);
    String name =
        String.format(
            "chunk-%013d-%016x.bin",
            System.currentTimeMillis(), ThreadLocalRandom.current().nextLong());
    try {
      AtomicFiles.write(folder.resolve(name), bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write embedding cache chunk in " + folder, e);
    }
    for (int i = 0; i < keys.size(); i++) {
      entries.put(keys.get(i), values.get(i));
    }
  }

  private void checkScope(Map<String, Object> scope) throws IOException {
    Path file = folder.resolve(SCOPE_FILE);
    if (Files.exists(file)) {
      @SuppressWarnings("unchecked")
      Map<String, Object> stored = JSON.readValue(file.toFile(), Map.class);
      if (!stored.equals(JSON.convertValue(scope, Map.class))) {
        throw new IllegalStateException(
            "embedding cache "
                + folder
                + " belongs to "
                + stored
                + ", not to "
                + scope
                + "; remove the folder or choose another cache folder");
      }
    } else {
      AtomicFiles.write(file, JSON.writeValueAsBytes(scope));
    }
  }

  private void readChunks() throws IOException {
    List<Path> chunks;
    try (Stream<Path> files = Files.list(folder)) {
      chunks =
          files.filter(p -> p.getFileName().toString().matches("chunk-.*\\.bin")).sorted().toList();
    }
    for (Path chunk : chunks) {
      try {
        Map<String, CachedEmbedding> read = decode(chunk);
        entries.putAll(read);
        chunksRead++;
      } catch (IOException | RuntimeException e) {
        chunksIgnored++;
        LOG.warn("ignoring damaged embedding cache chunk {}: {}", chunk, e.getMessage());
      }
    }
    if (!chunks.isEmpty()) {
      LOG.debug("{}: {} cached embeddings in {} chunks", folder, entries.size(), chunksRead);
    }
  }

  private byte[] encode(List<String> keys, List<CachedEmbedding> values) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      out.write(MAGIC);
      ByteBuffer header = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      header.putInt(dimension).putInt(keys.size());
      out.write(header.array());
      ByteBuffer vector =
          ByteBuffer.allocate(dimension * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < keys.size(); i++) {
        byte[] key = HexFormat.of().parseHex(keys.get(i));
        if (key.length != KEY_BYTES) {
          throw new IllegalArgumentException("cache key is not a SHA-256: " + keys.get(i));
        }
        out.write(key);
        CachedEmbedding v = values.get(i);
        vector.clear();
        vector.asFloatBuffer().put(v.vector());
        out.write(vector.array());
        byte[] rationale = v.rationale().getBytes(StandardCharsets.UTF_8);
        ByteBuffer tail = ByteBuffer.allocate(9).order(ByteOrder.LITTLE_ENDIAN);
        tail.putInt(v.rationaleTokens()).put((byte) (v.embAppended() ? 1 : 0));
        tail.putInt(rationale.length);
        out.write(tail.array());
        out.write(rationale);
      }
      CRC32 crc = new CRC32();
      crc.update(bytes.toByteArray());
      ByteBuffer sum = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      sum.putLong(crc.getValue());
      out.write(sum.array());
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Map<String, CachedEmbedding> decode(Path chunk) throws IOException {
    Map<String, CachedEmbedding> read = new HashMap<>();
    CRC32 crc = new CRC32();
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(chunk), 1 << 16);
        CheckedInputStream checked = new CheckedInputStream(raw, crc)) {
      DataInputStream in = new DataInputStream(checked);
      byte[] magic = in.readNBytes(MAGIC.length);
      if (!java.util.Arrays.equals(magic, MAGIC)) {
        throw new IOException("not an embedding chunk (bad magic)");
      }
      ByteBuffer header = ByteBuffer.wrap(readFully(in, 8)).order(ByteOrder.LITTLE_ENDIAN);
      int dim = header.getInt();
      int count = header.getInt();
      if (dim != dimension) {
        throw new IOException("dimension " + dim + ", expected " + dimension);
      }
      if (count < 0) {
        throw new IOException("negative entry count " + count);
      }
      for (int i = 0; i < count; i++) {
        String key = HexFormat.of().formatHex(readFully(in, KEY_BYTES));
        float[] vector = new float[dim];
        ByteBuffer.wrap(readFully(in, dim * Float.BYTES))
            .order(ByteOrder.LITTLE_ENDIAN)
            .asFloatBuffer()
            .get(vector);
        ByteBuffer tail = ByteBuffer.wrap(readFully(in, 9)).order(ByteOrder.LITTLE_ENDIAN);
        int tokens = tail.getInt();
        boolean appended = tail.get() != 0;
        int length = tail.getInt();
        if (length < 0 || length > (1 << 24)) {
          throw new IOException("implausible rationale length " + length);
        }
        String rationale = new String(readFully(in, length), StandardCharsets.UTF_8);
        read.put(key, new CachedEmbedding(vector, rationale, tokens, appended));
      }
      long expected = crc.getValue();
      ByteBuffer sum = ByteBuffer.wrap(readFully(in, 8)).order(ByteOrder.LITTLE_ENDIAN);
      if (sum.getLong() != expected) {
        throw new IOException("checksum mismatch");
      }
      if (in.read() != -1) {
        throw new IOException("trailing bytes after the checksum");
      }
    }
    return read;
  }

  private static byte[] readFully(DataInputStream in, int n) throws IOException {
    byte[] b = in.readNBytes(n);
    if (b.length != n) {
      throw new EOFException("truncated chunk");
    }
    return b;
  }
}
