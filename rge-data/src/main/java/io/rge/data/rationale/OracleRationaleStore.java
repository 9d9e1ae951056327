package io.rge.data.rationale;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rge.data.RgeDataException;
import io.rge.data.mmeb.TrainRow;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The oracle rationales of one MMEB-train subset split, from a JSON Lines file whose lines are
 * {@code {"id": <row>, "rationale": "<text>"}} with an optional {@code "qry"} that must equal the
 * row's query. Ids are 0-based row indices over the subset's parquet files in file order ({@link
 * TrainRow#row()}).
 *
 * <p>Loading fails on the first bad line with a {@link RationaleFormatException} naming file and
 * line: invalid JSON, an id that is missing, negative, not an integer, out of range or repeated, or
 * a missing/blank rationale. The {@code qry} check happens when rows are attached ({@link #attach})
 * or verified ({@link #verify}), since it needs the rows. Blank lines are skipped with a warning
 * naming their line numbers (or refused, strictly). Immutable after loading and safe to share
 * between threads.
 */
public final class OracleRationaleStore {
  private static final Logger LOG = LoggerFactory.getLogger(OracleRationaleStore.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int QUOTE_LIMIT = 120;

  private final Path file;
  private final String[] rationales;
  private final String[] qrys;
  private final int[] lines;
  private final long covered;
  private final int blankLines;

  private OracleRationaleStore(
      Path file, String[] rationales, String[] qrys, int[] lines, long covered, int blankLines) {
    this.blankLines = blankLines;
    this.file = file;
    this.rationales = rationales;
    this.qrys = qrys;
    this.lines = lines;
    this.covered = covered;
  }

  /**
   * Reads and checks {@code file} for a subset split of {@code rowCount} rows.
   *
   * @throws RationaleFormatException on the first bad line
   * @throws RgeDataException when the file cannot be read
   */
  public static OracleRationaleStore load(Path file, long rowCount) {
    return load(file, rowCount, false);
  }

  /**
   * As {@link #load(Path, long)}; with {@code strict}, a blank line is a {@link
   * RationaleFormatException} too (a blank line often stands for a row whose rationale was lost),
   * else blank lines are counted and logged with their line numbers ({@link #blankLines()}).
   */
  public static OracleRationaleStore load(Path file, long rowCount, boolean strict) {
    if (rowCount < 0 || rowCount > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("rowCount out of range: " + rowCount);
    }
    int rows = (int) rowCount;
    String[] rationales = new String[rows];
    String[] qrys = new String[rows];
    int[] lines = new int[rows];
    long covered = 0;
    List<Integer> blank = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      int lineNumber = 0;
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        lineNumber++;
        if (line.isBlank()) {
          if (strict) {
            throw new RationaleFormatException(
                file, lineNumber, "blank line (every line must give one row's rationale)");
          }
          blank.add(lineNumber);
          continue;
        }
        JsonNode node = parse(file, lineNumber, line);
        int id = id(file, lineNumber, node, rows);
        if (rationales[id] != null) {
          throw new RationaleFormatException(
              file, lineNumber, "duplicate id " + id + " (first given at line " + lines[id] + ")");
        }
        rationales[id] = rationale(file, lineNumber, node);
        qrys[id] = qry(file, lineNumber, node);
        lines[id] = lineNumber;
        covered++;
      }
    } catch (IOException e) {
      throw new RgeDataException("cannot read rationale file " + file + ": " + e.getMessage(), e);
    }
    if (!blank.isEmpty()) {
      LOG.warn(
          "{}: skipped {} blank line(s), at line {}{}; a row they stood for has no rationale (and"
              + " no LM loss)",
          file,
          blank.size(),
          blank.subList(0, Math.min(10, blank.size())),
          blank.size() > 10 ? " and more" : "");
    }
    return new OracleRationaleStore(file, rationales, qrys, lines, covered, blank.size());
  }

  /** Blank lines skipped when the file was loaded. */
  public int blankLines() {
    return blankLines;
  }

  public Path file() {
    return file;
  }

  /** The rationale of row {@code row}, if the file has one. */
  public Optional<String> rationale(long row) {
    return row >= 0 && row < rationales.length
        ? Optional.ofNullable(rationales[(int) row])
        : Optional.empty();
  }

  /** Rows with a rationale out of all rows of the subset. */
  public RationaleCoverage coverage() {
    return new RationaleCoverage(covered, rationales.length);
  }

  /**
   * {@code row} with its rationale attached, or unchanged when the file has none for it.
   *
   * @throws RationaleFormatException when the line gives a {@code qry} that differs from the row's
   * @throws IllegalArgumentException when the row index is outside the subset this store was loaded
   *     for
   */
  public TrainRow attach(TrainRow row) {
    if (row.row() >= rationales.length) {
      throw new IllegalArgumentException(
          "row "
              + row.row()
              + " is outside the "
              + rationales.length
              + " rows "
              + file
              + " was loaded for");
    }
    int id = (int) row.row();
    String text = rationales[id];
    if (text == null) {
      return row;
    }
    String expected = qrys[id];
    if (expected != null && !expected.equals(row.qry())) {
      throw new RationaleFormatException(
          file,
          lines[id],
          "qry of id "
              + id
              + " does not match row "
              + id
              + " of "
              + row.subset()
              + "/"
              + row.split()
              + ": file has \""
              + quote(expected)
              + "\", parquet has \""
              + quote(row.qry())
              + "\" (is the file aligned with these parquet files?)");
    }
    return row.withRationale(text);
  }

  /**
   * Checks every row's {@code qry} against the file, consuming {@code rows}.
   *
   * @throws RationaleFormatException at the first mismatch
   */
  public void verify(Iterator<TrainRow> rows) {
    while (rows.hasNext()) {
      attach(rows.next());
    }
  }

  private static JsonNode parse(Path file, int line, String text) {
    try {
      JsonNode node = JSON.readTree(text);
      if (node == null || !node.isObject()) {
        throw new RationaleFormatException(
            file, line, "expected a JSON object, got: " + quote(text));
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new RationaleFormatException(
          file, line, "invalid JSON: " + e.getOriginalMessage() + " in: " + quote(text));
    }
  }

  private static int id(Path file, int line, JsonNode node, int rows) {
    JsonNode id = node.get("id");
    if (id == null || id.isNull()) {
      throw new RationaleFormatException(file, line, "missing \"id\"");
    }
    if (!id.isIntegralNumber() || !id.canConvertToLong()) {
      throw new RationaleFormatException(
          file, line, "\"id\" must be a non-negative integer row index, got " + id);
    }
    long value = id.asLong();
    if (value < 0 || value >= rows) {
      throw new RationaleFormatException(
          file,
          line,
          "id "
              + value
              + " out of range: the subset has "
              + rows
              + " rows (ids 0.."
              + (rows - 1)
              + ")");
    }
    return (int) value;
  }

  private static String rationale(Path file, int line, JsonNode node) {
    JsonNode rationale = node.get("rationale");
    if (rationale == null || rationale.isNull()) {
      throw new RationaleFormatException(file, line, "missing \"rationale\"");
    }
    if (!rationale.isTextual()) {
      throw new RationaleFormatException(
          file, line, "\"rationale\" must be a string, got " + rationale.getNodeType());
    }
    if (rationale.asText().isBlank()) {
      throw new RationaleFormatException(file, line, "empty rationale");
    }
    return rationale.asText();
  }

  private static String qry(Path file, int line, JsonNode node) {
    JsonNode qry = node.get("qry");
    if (qry == null || qry.isNull()) {
      return null;
    }
    if (!qry.isTextual()) {
      throw new RationaleFormatException(
          file, line, "\"qry\" must be a string, got " + qry.getNodeType());
    }
    return qry.asText();
  }

  private static String quote(String text) {
    return text.length() <= QUOTE_LIMIT ? text : text.substring(0, QUOTE_LIMIT) + "...";
  }
}
