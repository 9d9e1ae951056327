package io.rge.benchmarks;

import io.rge.core.safetensors.DType;
import io.rge.core.safetensors.Precision;
import io.rge.core.safetensors.SafetensorsFile;
import io.rge.core.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Loading throughput of {@link SafetensorsFile} for a 1 GiB BF16 checkpoint converted to fp32 (the
 * CPU path), fp16 (the GPU path) and {@code float[]}. Writes the file to a temporary folder
 * (deleted afterwards); reads come from the page cache, as repeated loads of a model do.
 *
 * <p>Two kinds of numbers: {@code read()} allocates a new direct buffer per tensor, as loading a
 * model must, so it includes the cost of touching fresh memory; {@code readInto()} a reused buffer
 * and {@code readFloats()} (warm heap) show the conversion itself. The last line times {@code
 * allocateDirect} alone to show what fresh memory costs on the machine at hand.
 *
 * <p>Run: {@code java -Xmx4g -XX:MaxDirectMemorySize=8g -cp ...
 * io.rge.benchmarks.SafetensorsLoadBench [gib] [rounds]}. Throughput is BF16 input bytes per second
 * (GB = 1e9 bytes).
 */
public final class SafetensorsLoadBench {
  private static final int TENSORS = 8;

  private SafetensorsLoadBench() {}

  public static void main(String[] args) throws IOException {
    double gib = args.length > 0 ? Double.parseDouble(args[0]) : 1.0;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    long totalBytes = (long) (gib * (1L << 30));
    int elementsPerTensor = (int) (totalBytes / TENSORS / 2);
    Path dir = Files.createTempDirectory("rge-safetensors-bench");
    try {
      Path file = dir.resolve("bench.safetensors");
      long written = writeBf16File(file, elementsPerTensor);
      System.out.printf(
          "file: %s, %d BF16 tensors x %d elements = %.3f GB%n",
          file, TENSORS, elementsPerTensor, written / 1e9);
      try (SafetensorsFile st = SafetensorsFile.open(file)) {
        ByteBuffer reused =
            ByteBuffer.allocateDirect(elementsPerTensor * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (Mode mode : Mode.values()) {
          int n = mode.freshMemory ? Math.min(rounds, 3) : rounds;
          double[] gbPerSecond = new double[n];
          for (int r = 0; r < n; r++) {
            gbPerSecond[r] = written / 1e9 / timeSeconds(st, mode, reused);
            System.gc(); // frees the previous round's direct buffers before the next
          }
          report("BF16 -> " + mode.label, gbPerSecond);
        }
        // What fresh memory costs on this machine, without any reading: the fp32 output size.
        double[] allocation = new double[3];
        for (int r = 0; r < allocation.length; r++) {
          long start = System.nanoTime();
          for (int t = 0; t < TENSORS; t++) {
            ByteBuffer.allocateDirect(elementsPerTensor * 4).put(0, (byte) 1);
          }
          allocation[r] = written / 1e9 / ((System.nanoTime() - start) / 1e9);
          System.gc();
        }
        report("allocateDirect only (fp32 output size, per input GB)", allocation);
      }
    } finally {
      try (Stream<Path> paths = Files.walk(dir)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private enum Mode {
    FP32_FRESH("fp32, read() into new direct buffers", true),
    FP16_FRESH("fp16, read() into new direct buffers", true),
    FP32_REUSED("fp32, readInto() a reused buffer", false),
    FP16_REUSED("fp16, readInto() a reused buffer", false),
    FLOAT_ARRAY("fp32, readFloats() to float[]", false);

    final String label;
    final boolean freshMemory;

    Mode(String label, boolean freshMemory) {
      this.label = label;
      this.freshMemory = freshMemory;
    }
  }

  private static void report(String label, double[] gbPerSecond) {
    double[] sorted = gbPerSecond.clone();
    Arrays.sort(sorted);
    System.out.printf(
        "%-55s best %6.2f GB/s, median %6.2f GB/s, rounds %s%n",
        label,
        sorted[sorted.length - 1],
        sorted[sorted.length / 2],
        Arrays.toString(
            Arrays.stream(gbPerSecond).map(v -> Math.round(v * 100) / 100.0).toArray()));
  }

  private static double timeSeconds(SafetensorsFile st, Mode mode, ByteBuffer reused)
      throws IOException {
    long checksum = 0;
    long start = System.nanoTime();
    for (String name : st.names()) {
      switch (mode) {
        case FP32_FRESH -> checksum += st.read(name, Precision.FP32).getInt(4);
        case FP16_FRESH -> checksum += st.read(name, Precision.FP16).getShort(2);
        case FP32_REUSED -> {
          st.readInto(name, Precision.FP32, reused.clear());
          checksum += reused.getInt(4);
        }
        case FP16_REUSED -> {
          st.readInto(name, Precision.FP16, reused.clear());
          checksum += reused.getShort(2);
        }
        case FLOAT_ARRAY -> checksum += Float.floatToRawIntBits(st.readFloats(name)[1]);
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    if (checksum == 42) {
      System.out.println("(checksum)"); // keeps the reads observable
    }
    return seconds;
  }

  private static long writeBf16File(Path file, int elements) throws IOException {
    ByteBuffer data = ByteBuffer.allocateDirect(elements * 2).order(ByteOrder.LITTLE_ENDIAN);
    ShortBuffer shorts = data.asShortBuffer();
    short[] block = new short[4096];
    for (int i = 0; i < block.length; i++) {
      // bf16 values spread over normal magnitudes and both signs
      block[i] = (short) (0x3c00 + (i * 37 % 0x0800) | (i % 2 == 0 ? 0 : 0x8000));
    }
    while (shorts.hasRemaining()) {
      shorts.put(block, 0, Math.min(block.length, shorts.remaining()));
    }
    SafetensorsWriter writer = new SafetensorsWriter();
    for (int t = 0; t < TENSORS; t++) {
      writer.addBytes(
          "layers." + t + ".weight",
          DType.BF16,
          new long[] {elements / 1024, 1024},
          data.duplicate());
    }
    writer.write(file);
    return writer.dataBytes();
  }
}
