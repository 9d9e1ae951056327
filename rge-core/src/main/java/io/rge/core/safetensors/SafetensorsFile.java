package io.rge.core.safetensors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A safetensors file opened for reading: header validated on open, tensor data memory-mapped per
 * read in bounded windows, so files and offsets beyond 2 GiB work.
 *
 * <p>Floating-point tensors (F32, F16, BF16, F64) are converted in Java to fp32 or fp16; no bf16
 * array ever reaches DJL. The buffers returned by {@link #read(String, Precision)} are direct and
 * little-endian, ready for {@code NDManager.create(buffer, new Shape(info.shape()), type)}.
 *
 * <p>Thread-safe for reads. Every format error is a {@link SafetensorsException} naming the file
 * and the tensor or field; I/O failures are {@link IOException}s.
 */
public final class SafetensorsFile implements AutoCloseable {
  /** Largest header accepted; real headers are well under a megabyte even for 70B models. */
  static final long MAX_HEADER_BYTES = 32L << 20;

  /** Largest window mapped at once; a multiple of every element size. */
  private static final long WINDOW_BYTES = 64L << 20;

  /** Java arrays hold at most a little under 2^31 elements. */
  private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

  private final Path path;
  private final FileChannel channel;
  private final long dataStart;
  private final Map<String, TensorInfo> tensors;
  private final Map<String, String> metadata;
  private volatile boolean closed;

  private SafetensorsFile(
      Path path,
      FileChannel channel,
      long dataStart,
      Map<String, TensorInfo> tensors,
      Map<String, String> metadata) {
    this.path = path;
    this.channel = channel;
    this.dataStart = dataStart;
    this.tensors = tensors;
    this.metadata = metadata;
  }

  /**
   * Opens {@code file} and validates its header completely: declared length within the file and
   * below {@value #MAX_HEADER_BYTES} bytes, well-formed JSON, every tensor with a known dtype,
   * non-negative shape and offsets inside the data section spanning exactly shape × dtype size
   * bytes, and no two tensors overlapping.
   */
  public static SafetensorsFile open(Path file) throws IOException {
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
    try {
      long size = channel.size();
      if (size < 8) {
        throw new SafetensorsException(
            file + ": truncated: " + size + " bytes, too short for the 8-byte header length");
      }
      ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(file, channel, lengthBytes, 0);
      long headerLength = lengthBytes.getLong(0);
      if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
        throw new SafetensorsException(
            file
                + ": header length "
                + Long.toUnsignedString(headerLength)
                + " bytes exceeds the limit of "
                + MAX_HEADER_BYTES
                + " bytes (corrupt or not a safetensors file)");
      }
      if (headerLength > size - 8) {
        throw new SafetensorsException(
            file
                + ": header length "
                + headerLength
                + " bytes runs past the end of the file ("
                + size
                + " bytes): truncated or corrupt");
      }
      ByteBuffer header = ByteBuffer.allocate((int) headerLength);
      readFully(file, channel, header, 8);
      long dataStart = 8 + headerLength;
      HeaderParser.Header parsed =
          HeaderParser.parse(header.array(), file.toString(), size - dataStart);
      return new SafetensorsFile(file, channel, dataStart, parsed.tensors(), parsed.metadata());
    } catch (IOException | RuntimeException | Error e) {
      channel.close();
      throw e;
    }
  }

  public Path path() {
    return path;
  }

  /** Names of all tensors, sorted. */
  public Set<String> names() {
    return tensors.keySet();
  }

  public boolean contains(String name) {
    return tensors.containsKey(name);
  }

  /** The header entry of {@code name}; a {@link SafetensorsException} if there is none. */
  public TensorInfo info(String name) {
    TensorInfo info = tensors.get(name);
    if (info == null) {
      throw new SafetensorsException(path + ": no tensor '" + name + "'");
    }
    return info;
  }

  /** The {@code __metadata__} map of the header (empty if absent). */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** Reads a floating-point tensor (F32, F16, BF16 or F64) as fp32 values in row-major order. */
  public float[] readFloats(String name) throws IOException {
    TensorInfo info = floatingPoint(name);
    float[] out = allocate(info, 4, () -> new float[toArrayLength(info)]);
    int[] filled = {0};
    forEachWindow(
        info,
        window -> {
          TensorDecoder.toFloats(window, info.dtype(), out, filled[0]);
          filled[0] += window.capacity() / info.dtype().byteSize();
        });
    return out;
  }

  /**
   * Reads a floating-point tensor (F32, F16, BF16 or F64) converted to {@code precision}, as a new
   * direct little-endian buffer of {@code elementCount × precision.byteSize()} bytes, position 0.
   */
  public ByteBuffer read(String name, Precision precision) throws IOException {
    TensorInfo info = floatingPoint(name);
    long bytes = info.elementCount() * precision.byteSize();
    if (bytes > Integer.MAX_VALUE) {
      throw new SafetensorsException(
          path + ": tensor '" + name + "' needs " + bytes + " bytes, more than one buffer holds");
    }
    ByteBuffer out =
        allocate(
            info,
            precision.byteSize(),
            () -> ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.LITTLE_ENDIAN));
    readInto(name, precision, out);
    return out.rewind();
  }

  /**
   * Like {@link #read(String, Precision)}, but converts into {@code dst} (little-endian, direct or
   * not) at its position, advancing it by {@code elementCount × precision.byteSize()} bytes; for
   * callers that own the destination memory (pooled or pre-allocated buffers).
   */
  public void readInto(String name, Precision precision, ByteBuffer dst) throws IOException {
    TensorInfo info = floatingPoint(name);
    long bytes = info.elementCount() * precision.byteSize();
    if (dst.order() != ByteOrder.LITTLE_ENDIAN) {
      throw new IllegalArgumentException("destination buffer must be little-endian");
    }
    if (dst.remaining() < bytes) {
      throw new IllegalArgumentException(
          "tensor '" + name + "' needs " + bytes + " bytes, destination has " + dst.remaining());
    }
    forEachWindow(
        info,
        window -> {
          if (precision == Precision.FP32) {
            TensorDecoder.toFp32(window, info.dtype(), dst);
          } else {
            TensorDecoder.toFp16(window, info.dtype(), dst);
          }
        });
  }

  /** Reads an integer tensor (I64 or I32) as longs. */
  public long[] readLongs(String name) throws IOException {
    TensorInfo info = info(name);
    if (info.dtype() != DType.I64 && info.dtype() != DType.I32) {
      throw new SafetensorsException(
          path + ": tensor '" + name + "' is " + info.dtype() + ", expected I64 or I32");
    }
    long[] out = allocate(info, 8, () -> new long[toArrayLength(info)]);
    int[] filled = {0};
    forEachWindow(
        info,
        window -> {
          int n = window.remaining() / info.dtype().byteSize();
          if (info.dtype() == DType.I64) {
            window.asLongBuffer().get(out, filled[0], n);
          } else {
            var ints = window.asIntBuffer();
            for (int i = 0; i < n; i++) {
              out[filled[0] + i] = ints.get(i);
            }
          }
          filled[0] += n;
        });
    return out;
  }

  @Override
  public void close() throws IOException {
    closed = true;
    channel.close();
  }

  private TensorInfo floatingPoint(String name) {
    TensorInfo info = info(name);
    if (!info.dtype().isFloatingPoint()) {
      throw new SafetensorsException(
          path + ": tensor '" + name + "' is " + info.dtype() + ", not a floating-point type");
    }
    return info;
  }

  private int toArrayLength(TensorInfo info) {
    long n = info.elementCount();
    if (n > MAX_ARRAY) {
      throw new SafetensorsException(
          path + ": tensor '" + info.name() + "' has " + n + " elements, too many for an array");
    }
    return (int) n;
  }

  /**
   * Runs one large allocation, turning an out-of-memory failure into an error that names the tensor
   * and its size instead of leaving the JVM to die somewhere else.
   */
  private <T> T allocate(TensorInfo info, int bytesPerElement, Supplier<T> allocation) {
    try {
      return allocation.get();
    } catch (OutOfMemoryError e) {
      throw new SafetensorsException(
          path
              + ": not enough memory for tensor '"
              + info.name()
              + "' ("
              + info.elementCount() * bytesPerElement
              + " bytes); raise -Xmx or"
              + " -XX:MaxDirectMemorySize",
          e);
    }
  }

  private interface WindowConsumer {
    void accept(ByteBuffer window);
  }

  /** Maps the tensor's bytes window by window (little-endian) and hands each to {@code sink}. */
  private void forEachWindow(TensorInfo info, WindowConsumer sink) throws IOException {
    if (closed) {
      throw new IllegalStateException(path + " is closed");
    }
    long start = dataStart + info.begin();
    long end = dataStart + info.end();
    // A file truncated after open would fault on access to the mapping; fail cleanly instead.
    if (channel.size() < end) {
      throw new SafetensorsException(
          path
              + ": file shrank to "
              + channel.size()
              + " bytes while open; cannot read tensor '"
              + info.name()
              + "'");
    }
    for (long pos = start; pos < end; pos += WINDOW_BYTES) {
      long length = Math.min(WINDOW_BYTES, end - pos);
      ByteBuffer window =
          channel.map(FileChannel.MapMode.READ_ONLY, pos, length).order(ByteOrder.LITTLE_ENDIAN);
      sink.accept(window);
    }
  }

  private static void readFully(Path file, FileChannel channel, ByteBuffer dst, long position)
      throws IOException {
    long pos = position;
    while (dst.hasRemaining()) {
      int n = channel.read(dst, pos);
      if (n < 0) {
        throw new SafetensorsException(file + ": unexpected end of file at byte " + pos);
      }
      pos += n;
    }
  }
}
