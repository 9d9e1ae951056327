package io.rge.cli.eval;

import io.rge.core.files.AtomicFiles;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Writes a float32 matrix as a NumPy {@code .npy} file (format version 1.0): the magic string
 * {@code \x93NUMPY}, version bytes 1 and 0, a little-endian uint16 header length, an ASCII Python
 * dict literal giving dtype {@code <f4}, C order and the shape, padded with spaces and a final
 * newline so that the data starts at a multiple of 64 bytes, then the values row by row,
 * little-endian. {@code numpy.load} reads it without pickles.
 */
final class NpyFile {
  static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final int ALIGNMENT = 64;

  private NpyFile() {}

  /** Writes {@code rows} (all of one length) as a {@code [rows, columns]} float32 array. */
  static void write(Path file, List<float[]> rows) throws IOException {
    int columns = rows.isEmpty() ? 0 : rows.get(0).length;
    for (float[] row : rows) {
      if (row.length != columns) {
        throw new IllegalArgumentException(
            "rows of different lengths: " + columns + " and " + row.length);
      }
    }
    byte[] header = header(rows.size(), columns);
    AtomicFiles.write(
        file,
        out -> {
          DataOutputStream data = new DataOutputStream(out);
          data.write(MAGIC);
          data.writeByte(1);
          data.writeByte(0);
          data.writeByte(header.length & 0xff); // uint16, little-endian
          data.writeByte(header.length >>> 8);
          data.write(header);
          ByteBuffer row =
              ByteBuffer.allocate(columns * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
          for (float[] values : rows) {
            row.clear();
            row.asFloatBuffer().put(values);
            data.write(row.array());
          }
          data.flush();
        });
  }

  /** The dict literal, padded so that magic + version + length + header is a multiple of 64. */
  static byte[] header(int rows, int columns) {
    String dict =
        String.format(
            Locale.ROOT,
            "{'descr': '<f4', 'fortran_order': False, 'shape': (%d, %d), }",
            rows,
            columns);
    int prefix = MAGIC.length + 2 + 2;
    int unpadded = prefix + dict.length() + 1; // + the final newline
    int padded = (unpadded + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    return (dict + " ".repeat(padded - unpadded) + "\n").getBytes(StandardCharsets.US_ASCII);
  }
}
