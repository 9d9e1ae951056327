package io.rge.core.safetensors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes tensors in the safetensors format: keys sorted, {@code __metadata__ {"format":"pt"}}, the
 * header padded with spaces to a multiple of 8 bytes as the reference library does. Every file is
 * written to a temporary file in the target folder and then atomically renamed, so a failed write
 * never leaves a partial file under the final name.
 *
 * <p>{@link #writeSharded} splits large checkpoints into {@code model-0000i-of-0000n.safetensors}
 * plus {@code model.safetensors.index.json}, as transformers' {@code save_pretrained} does.
 *
 * <p>The writer keeps references to the added arrays and buffers (no copies) until written.
 */
public final class SafetensorsWriter {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int SCRATCH_BYTES = 1 << 20;

  private final Map<String, Entry> entries = new TreeMap<>();

  /** Adds an F32 tensor; {@code data} is row-major with {@code product(shape)} elements. */
  public SafetensorsWriter addFloats(String name, long[] shape, float[] data) {
    long[] dims = checkedShape(name, shape, data.length);
    add(
        new Entry(
            name,
            DType.F32,
            dims,
            4L * data.length,
            (channel, scratch) -> {
              for (int off = 0; off < data.length; ) {
                int m = Math.min(scratch.capacity() / 4, data.length - off);
                scratch.clear();
                scratch.asFloatBuffer().put(data, off, m);
                scratch.limit(m * 4);
                writeFully(channel, scratch);
                off += m;
              }
            }));
    return this;
  }

  /**
   * Adds an F32 tensor whose values are produced only when it is written, one tensor at a time, so
   * that a large model is saved without a second copy of all its weights in memory.
   */
  public SafetensorsWriter addFloats(
      String name, long[] shape, java.util.function.Supplier<float[]> data) {
    return addFloats(name, shape, DType.F32, data);
  }

  /**
   * Adds a tensor of float values stored as {@code dtype}: F32 as they are, or BF16 rounded to
   * nearest even ({@link HalfFloat#floatToBf16}); produced only when it is written.
   */
  public SafetensorsWriter addFloats(
      String name, long[] shape, DType dtype, java.util.function.Supplier<float[]> data) {
    if (dtype != DType.F32 && dtype != DType.BF16) {
      throw new IllegalArgumentException(
          "tensor '" + name + "': float values are written as F32 or BF16, not " + dtype);
    }
    long elements = java.util.Arrays.stream(shape).reduce(1, Math::multiplyExact);
    long[] dims = checkedShape(name, shape, elements);
    int width = dtype.byteSize();
    add(
        new Entry(
            name,
            dtype,
            dims,
            width * elements,
            (channel, scratch) -> {
              float[] values = data.get();
              if (values.length != elements) {
                throw new IllegalStateException(
                    "tensor '"
                        + name
                        + "' produced "
                        + values.length
                        + " values, expected "
                        + elements);
              }
              for (int off = 0; off < values.length; ) {
                int m = Math.min(scratch.capacity() / width, values.length - off);
                scratch.clear();
                if (dtype == DType.F32) {
                  scratch.asFloatBuffer().put(values, off, m);
                } else {
                  java.nio.ShortBuffer out = scratch.asShortBuffer();
                  for (int i = 0; i < m; i++) {
                    out.put(HalfFloat.floatToBf16(values[off + i]));
                  }
                }
                scratch.limit(m * width);
                writeFully(channel, scratch);
                off += m;
              }
            }));
    return this;
  }

  /** Adds an I64 tensor; {@code data} is row-major with {@code product(shape)} elements. */
  public SafetensorsWriter addLongs(String name, long[] shape, long[] data) {
    long[] dims = checkedShape(name, shape, data.length);
    add(
        new Entry(
            name,
            DType.I64,
            dims,
            8L * data.length,
            (channel, scratch) -> {
              for (int off = 0; off < data.length; ) {
                int m = Math.min(scratch.capacity() / 8, data.length - off);
                scratch.clear();
                scratch.asLongBuffer().put(data, off, m);
                scratch.limit(m * 8);
                writeFully(channel, scratch);
                off += m;
              }
            }));
    return this;
  }

  /**
   * Adds a tensor of any dtype from little-endian bytes: the remaining bytes of {@code data}, which
   * must be exactly {@code product(shape) × dtype.byteSize()} (e.g. an F16 or BF16 tensor).
   */
  public SafetensorsWriter addBytes(String name, DType dtype, long[] shape, ByteBuffer data) {
    long elements = data.remaining() / dtype.byteSize();
    if ((long) data.remaining() != elements * dtype.byteSize()) {
      throw new IllegalArgumentException(
          "tensor '"
              + name
              + "': "
              + data.remaining()
              + " bytes is not a whole number of "
              + dtype);
    }
    long[] dims = checkedShape(name, shape, elements);
    ByteBuffer view = data.duplicate();
    add(
        new Entry(
            name,
            dtype,
            dims,
            view.remaining(),
            (channel, scratch) -> writeFully(channel, view.duplicate())));
    return this;
  }

  /** Total bytes of tensor data added so far. */
  public long dataBytes() {
    return entries.values().stream().mapToLong(Entry::bytes).sum();
  }

  /** Writes all tensors to one file (atomically replacing an existing one). */
  public void write(Path file) throws IOException {
    writeFile(file, new ArrayList<>(entries.values()));
  }

  /**
   * Writes all tensors into {@code dir}: as {@code model.safetensors} when they fit in {@code
   * maxShardBytes}, otherwise as shards of at most that size (a larger single tensor gets a shard
   * of its own) plus {@code model.safetensors.index.json}, written last. Returns the files written.
   */
  public List<Path> writeSharded(Path dir, long maxShardBytes) throws IOException {
    if (maxShardBytes <= 0) {
      throw new IllegalArgumentException("maxShardBytes must be > 0, got " + maxShardBytes);
    }
    List<List<Entry>> shards = new ArrayList<>();
    long current = 0;
    for (Entry e : entries.values()) {
      if (shards.isEmpty() || (current > 0 && current + e.bytes() > maxShardBytes)) {
        shards.add(new ArrayList<>());
        current = 0;
      }
      shards.get(shards.size() - 1).add(e);
      current += e.bytes();
    }
    Files.createDirectories(dir);
    if (shards.size() <= 1) {
      Path file = dir.resolve(CheckpointFiles.SINGLE_FILE);
      writeFile(file, shards.isEmpty() ? List.of() : shards.get(0));
      return List.of(file);
    }
    List<Path> written = new ArrayList<>();
    ObjectNode weightMap = JSON.createObjectNode();
    Map<String, String> sortedMap = new TreeMap<>();
    for (int i = 0; i < shards.size(); i++) {
      String name = String.format("model-%05d-of-%05d.safetensors", i + 1, shards.size());
      Path file = dir.resolve(name);
      writeFile(file, shards.get(i));
      written.add(file);
      for (Entry e : shards.get(i)) {
        sortedMap.put(e.name(), name);
      }
    }
    sortedMap.forEach(weightMap::put);
    ObjectNode index = JSON.createObjectNode();
    index.putObject("metadata").put("total_size", dataBytes());
    index.set("weight_map", weightMap);
    Path indexFile = dir.resolve(CheckpointFiles.INDEX_FILE);
    byte[] json =
        (JSON.writerWithDefaultPrettyPrinter().writeValueAsString(index) + "\n")
            .getBytes(StandardCharsets.UTF_8);
    writeAtomically(indexFile, List.of(), ByteBuffer.wrap(json));
    written.add(indexFile);
    return written;
  }

  private void add(Entry entry) {
    if (HeaderParser.METADATA_KEY.equals(entry.name())) {
      throw new IllegalArgumentException("'" + HeaderParser.METADATA_KEY + "' is reserved");
    }
    if (entries.putIfAbsent(entry.name(), entry) != null) {
      throw new IllegalArgumentException("tensor '" + entry.name() + "' was already added");
    }
  }

  private static long[] checkedShape(String name, long[] shape, long elements) {
    long[] dims = shape.clone();
    long product = 1;
    for (long d : dims) {
      if (d < 0) {
        throw new IllegalArgumentException(
            "tensor '" + name + "': negative dimension in " + Arrays.toString(dims));
      }
      product = Math.multiplyExact(product, d);
    }
    if (product != elements) {
      throw new IllegalArgumentException(
          "tensor '"
              + name
              + "': shape "
              + Arrays.toString(dims)
              + " holds "
              + product
              + " elements but the data has "
              + elements);
    }
    return dims;
  }

  private static void writeFile(Path file, List<Entry> tensors) throws IOException {
    ObjectNode header = JSON.createObjectNode();
    header.putObject(HeaderParser.METADATA_KEY).put("format", "pt");
    long offset = 0;
    for (Entry e : tensors) {
      ObjectNode node = header.putObject(e.name());
      node.put("dtype", e.dtype().name());
      ArrayNode shape = node.putArray("shape");
      for (long d : e.shape()) {
        shape.add(d);
      }
      node.putArray("data_offsets").add(offset).add(offset + e.bytes());
      offset += e.bytes();
    }
    byte[] json = JSON.writeValueAsBytes(header);
    int padded = (json.length + 7) / 8 * 8;
    ByteBuffer prefix = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
    prefix.putLong(padded).put(json);
    while (prefix.hasRemaining()) {
      prefix.put((byte) ' ');
    }
    writeAtomically(file, tensors, prefix.flip());
  }

  private static void writeAtomically(Path file, List<Entry> tensors, ByteBuffer prefix)
      throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Path temp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        writeFully(channel, prefix);
        ByteBuffer scratch =
            ByteBuffer.allocateDirect(SCRATCH_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (Entry e : tensors) {
          e.payload().writeTo(channel, scratch);
        }
        channel.force(true);
      } catch (FileSystemException e) {
        throw e;
      } catch (IOException e) {
        // "No space left on device" names no file; the reader needs to know which.
        throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static void writeFully(FileChannel channel, ByteBuffer data) throws IOException {
    while (data.hasRemaining()) {
      channel.write(data);
    }
  }

  private interface Payload {
    void writeTo(FileChannel channel, ByteBuffer scratch) throws IOException;
  }

  private record Entry(String name, DType dtype, long[] shape, long bytes, Payload payload) {}
}
