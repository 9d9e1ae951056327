package io.rge.core.safetensors;

import static io.rge.core.safetensors.RawSafetensors.build;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Corrupt, truncated and hostile files must give a named error, never a crash or huge allocation.
 */
class HostileSafetensorsTest {
  @TempDir Path tmp;

  private Path file(byte[] bytes) throws Exception {
    Path f = Files.createTempFile(tmp, "hostile", ".safetensors");
    Files.write(f, bytes);
    return f;
  }

  private static String entry(String name, String dtype, String shape, long begin, long end) {
    return "\""
        + name
        + "\":{\"dtype\":\""
        + dtype
        + "\",\"shape\":"
        + shape
        + ",\"data_offsets\":["
        + begin
        + ","
        + end
        + "]}";
  }

  /** Opens {@code f}, expecting an error whose message names the file and contains each part. */
  private static void assertRejected(Path f, String... parts) {
    SafetensorsException e =
        assertThrows(SafetensorsException.class, () -> SafetensorsFile.open(f).close());
    String m = e.getMessage();
    assertTrue(m.contains(f.toString()), "message must name the file: " + m);
    for (String part : parts) {
      assertTrue(m.contains(part), "message must contain '" + part + "': " + m);
    }
  }

  @Test
  void fileShorterThanTheLengthPrefix() throws Exception {
    assertRejected(file(new byte[] {1, 2, 3}), "truncated", "3 bytes");
  }

  @Test
  void headerLengthPastEndOfFile() throws Exception {
    byte[] bytes = build("{}", new byte[0]);
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1000);
    assertRejected(file(bytes), "header length 1000", "runs past the end of the file");
  }

  @Test
  void headerClaimingOneHundredMegabytesIsRejectedBeforeAllocating() throws Exception {
    // A sparse file big enough to hold the claimed header, so only the size cap can reject it.
    Path f = tmp.resolve("claims-100mb.safetensors");
    try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
      raf.setLength(8 + 100_000_000L + 16);
      byte[] length = new byte[8];
      ByteBuffer.wrap(length).order(ByteOrder.LITTLE_ENDIAN).putLong(100_000_000L);
      raf.write(length);
    }
    assertRejected(f, "header length 100000000", "exceeds the limit");
  }

  @Test
  void headerLengthWithTheTopBitSet() throws Exception {
    byte[] bytes = build("{}", new byte[0]);
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, -8);
    assertRejected(file(bytes), "header length 18446744073709551608", "exceeds the limit");
  }

  @Test
  void truncatedFileLosesTheDataOfItsLastTensors() throws Exception {
    byte[] full = Files.readAllBytes(SafetensorsFileTest.fixture("model.safetensors"));
    assertRejected(
        file(Arrays.copyOf(full, full.length / 2)), "tensor '", "lie outside the data section");
  }

  @Test
  void truncatedInsideTheHeader() throws Exception {
    byte[] full = Files.readAllBytes(SafetensorsFileTest.fixture("model.safetensors"));
    assertRejected(file(Arrays.copyOf(full, 500)), "runs past the end of the file");
  }

  @Test
  void overlappingTensors() throws Exception {
    String header =
        "{" + entry("a", "F32", "[4]", 0, 16) + "," + entry("b", "F32", "[2]", 8, 16) + "}";
    assertRejected(file(build(header, new byte[16])), "'a'", "'b'", "overlap");
  }

  @Test
  void overlapHiddenBehindAShortTensor() throws Exception {
    // c overlaps a although b (between them by offset) does not overlap c.
    String header =
        "{"
            + entry("a", "F32", "[8]", 0, 32)
            + ","
            + entry("b", "F32", "[1]", 4, 8)
            + ","
            + entry("c", "F32", "[1]", 20, 24)
            + "}";
    assertRejected(file(build(header, new byte[32])), "overlap");
  }

  @Test
  void shapeDisagreesWithByteLength() throws Exception {
    String header = "{" + entry("w", "F32", "[2,3]", 0, 20) + "}";
    assertRejected(file(build(header, new byte[24])), "tensor 'w'", "needs 24 bytes", "span 20");
  }

  @Test
  void unknownDtype() throws Exception {
    String header = "{" + entry("w", "F8_E4M3", "[4]", 0, 4) + "}";
    assertRejected(file(build(header, new byte[4])), "tensor 'w'", "unsupported dtype 'F8_E4M3'");
  }

  @Test
  void malformedJson() throws Exception {
    assertRejected(file(build("{\"w\": {\"dtype\": ", new byte[4])), "malformed JSON");
  }

  @Test
  void headerThatIsNotAnObject() throws Exception {
    assertRejected(file(build("[1, 2, 3]   ", new byte[0])), "not a JSON object");
  }

  @Test
  void garbageAfterTheHeaderObject() throws Exception {
    assertRejected(file(build("{} {}", new byte[0])), "after its JSON object");
  }

  @Test
  void duplicateTensorNames() throws Exception {
    String header =
        "{" + entry("w", "F32", "[1]", 0, 4) + "," + entry("w", "F32", "[1]", 4, 8) + "}";
    assertRejected(file(build(header, new byte[8])), "Duplicate field 'w'");
  }

  @Test
  void offsetsOutsideTheDataSection() throws Exception {
    String header = "{" + entry("w", "F32", "[4]", 100, 116) + "}";
    assertRejected(
        file(build(header, new byte[16])), "tensor 'w'", "[100, 116]", "outside the data section");
  }

  @Test
  void reversedOffsets() throws Exception {
    String header = "{" + entry("w", "F32", "[0]", 8, 4) + "}";
    assertRejected(file(build(header, new byte[8])), "tensor 'w'", "reversed");
  }

  @Test
  void negativeDimension() throws Exception {
    String header = "{" + entry("w", "F32", "[-1,4]", 0, 16) + "}";
    assertRejected(
        file(build(header, new byte[16])), "tensor 'w'", "'shape' has negative value -1");
  }

  @Test
  void negativeOffset() throws Exception {
    String header = "{" + entry("w", "F32", "[1]", -4, 0) + "}";
    assertRejected(file(build(header, new byte[4])), "'data_offsets' has negative value -4");
  }

  @Test
  void shapeWhoseByteSizeOverflows() throws Exception {
    String header = "{" + entry("w", "F32", "[4611686018427387904, 4]", 0, 16) + "}";
    assertRejected(file(build(header, new byte[16])), "tensor 'w'", "overflows");
  }

  @Test
  void dimensionBeyondLongRange() throws Exception {
    String header = "{" + entry("w", "F32", "[99999999999999999999]", 0, 16) + "}";
    assertRejected(file(build(header, new byte[16])), "too large");
  }

  @Test
  void entryMissingAField() throws Exception {
    String header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}";
    assertRejected(file(build(header, new byte[4])), "tensor 'w'", "missing 'data_offsets'");
  }

  @Test
  void offsetsWithThreeEntries() throws Exception {
    String header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,8]}}";
    assertRejected(file(build(header, new byte[8])), "tensor 'w'", "more than 2 entries");
  }

  @Test
  void fractionalDimension() throws Exception {
    String header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}";
    assertRejected(file(build(header, new byte[4])), "tensor 'w'", "must hold integers");
  }

  @Test
  void metadataThatIsNotStrings() throws Exception {
    assertRejected(
        file(build("{\"__metadata__\":{\"format\":1}}", new byte[0])), "__metadata__.format");
  }

  @Test
  void deeplyNestedJsonIsAnErrorNotAStackOverflow() throws Exception {
    String header = "{\"w\":{\"x\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}}";
    assertRejected(file(build(header, new byte[0])));
  }

  private static String lastName(SafetensorsFile st) {
    String last = null;
    for (String name : st.names()) {
      last = name;
    }
    return last;
  }

  @Test
  void randomCorruptionOnlyEverGivesSafetensorsErrors() throws Exception {
    byte[] original = Files.readAllBytes(SafetensorsFileTest.fixture("model.safetensors"));
    int headerEnd = 8 + (int) ByteBuffer.wrap(original).order(ByteOrder.LITTLE_ENDIAN).getLong();
    Random random = new Random(42);
    Path f = tmp.resolve("fuzz.safetensors");
    Files.write(f, original);
    for (int round = 0; round < 300; round++) {
      // Only the header changes between rounds, so patch it in place.
      byte[] header = Arrays.copyOf(original, headerEnd);
      for (int k = 0; k < 1 + random.nextInt(4); k++) {
        header[random.nextInt(headerEnd)] = (byte) random.nextInt(256);
      }
      try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
        raf.write(header);
      }
      try (SafetensorsFile st = SafetensorsFile.open(f)) {
        // Whatever survived validation must also read; the first and last tensors suffice.
        for (String name : List.of(st.names().iterator().next(), lastName(st))) {
          if (st.info(name).dtype().isFloatingPoint()) {
            st.readFloats(name);
          }
        }
      } catch (SafetensorsException expected) {
        assertTrue(expected.getMessage().contains(f.toString()), expected.getMessage());
      } catch (RuntimeException | Error other) {
        fail("round " + round + ": unexpected " + other, other);
      }
    }
  }
}
