package io.rge.benchmarks;

import io.rge.data.DuckDb;
import io.rge.data.mmeb.EvalRow;
import io.rge.data.mmeb.MmebEvalReader;
import io.rge.data.mmeb.ReadOptions;
import io.rge.data.mmeb.RowStream;
import io.rge.data.synth.RgeSynth;
import io.rge.data.synth.SynthSize;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Speed of rge-data, printed as plain lines.
 *
 * <pre>
 * java -cp ... io.rge.benchmarks.DataBench read [ROWS=100000] [CANDIDATES=1000] [WORKDIR=/tmp/rge-data-bench]
 * java -cp ... io.rge.benchmarks.DataBench synth [SIZE=small] [WORKDIR=/tmp/rge-data-bench]
 * </pre>
 *
 * <p>{@code read} generates (once, kept in WORKDIR) an MMEB-eval parquet file in the worst shape
 * MMEB has: every row a query image plus {@code CANDIDATES} image candidates ("&lt;|image_1|&gt;
 * represent the given image" + a path), then streams it through {@link MmebEvalReader} with
 * placeholder checks and reports rows/s and candidates/s, next to a DuckDB-only scan of the same
 * lists (the floor the JDBC reader sits on). {@code synth} times RGE-Synth generation (first run in
 * the JVM, then a warm run).
 */
public final class DataBench {
  private DataBench() {}

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "read";
    switch (mode) {
      case "read" ->
          read(
              args.length > 1 ? Integer.parseInt(args[1]) : 100_000,
              args.length > 2 ? Integer.parseInt(args[2]) : 1000,
              Path.of(args.length > 3 ? args[3] : "/tmp/rge-data-bench"));
      case "synth" ->
          synth(
              args.length > 1 ? args[1] : "small",
              Path.of(args.length > 2 ? args[2] : "/tmp/rge-data-bench"));
      default -> throw new IllegalArgumentException("mode must be read or synth, got " + mode);
    }
  }

  private static void read(int rows, int candidates, Path workdir)
      throws IOException, SQLException {
    Path file =
        workdir.resolve("Bench" + rows + "x" + candidates).resolve("test-00000-of-00001.parquet");
    if (!Files.isRegularFile(file)) {
      Files.createDirectories(file.getParent());
      long start = System.nanoTime();
      sql(
          "COPY (SELECT '<|image_1|> Find a caption for the news in the given photo number ' || i AS qry_text,"
              + " 'Bench/query/' || i || '.jpg' AS qry_img_path,"
              + " list_transform(range("
              + candidates
              + "), lambda x: '<|image_1|> Represent the given image.') AS tgt_text,"
              + " list_transform(range("
              + candidates
              + "), lambda x: 'Bench/candidates/' || ((i * 7919 + x * 104729) % 200000) || '.jpg')"
              + " AS tgt_img_path FROM range("
              + rows
              + ") t(i) ORDER BY i) TO "
              + DuckDb.literal(file)
              + " (FORMAT parquet, COMPRESSION zstd)");
      System.out.printf(
          "generated %s (%d rows x %d candidates, %.1f MB) in %.1f s%n",
          file, rows, candidates, Files.size(file) / 1e6, (System.nanoTime() - start) / 1e9);
    }

    long start = System.nanoTime();
    long floor;
    try (Connection connection = DuckDb.open();
        Statement statement = connection.createStatement();
        ResultSet rs =
            statement.executeQuery(
                "SELECT sum(len(tgt_text) + len(tgt_img_path)) FROM read_parquet("
                    + DuckDb.literal(file)
                    + ")")) {
      rs.next();
      floor = rs.getLong(1);
    }
    double duckSeconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "duckdb-only scan of both lists: %.1f s = %.0f rows/s (%d list elements)%n",
        duckSeconds, rows / duckSeconds, floor);

    long cpuStart = cpuNanos();
    start = System.nanoTime();
    long read = 0;
    long candidatesRead = 0;
    try (RowStream<EvalRow> stream =
        MmebEvalReader.open("Bench", List.of(file), ReadOptions.defaults())) {
      for (List<EvalRow> batch = stream.nextBatch(); !batch.isEmpty(); batch = stream.nextBatch()) {
        for (EvalRow row : batch) {
          read++;
          candidatesRead += row.candidateCount();
        }
        if (read % 20_000 < batch.size()) {
          System.out.printf(
              "  %d rows, %.1f s, heap %.0f MB%n",
              read,
              (System.nanoTime() - start) / 1e9,
              (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / 1e6);
        }
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double cpu = (cpuNanos() - cpuStart) / 1e9;
    System.out.printf(
        "MmebEvalReader: %d rows, %d candidates in %.1f s wall (%.1f s process CPU): %.0f rows/s, %.2f M"
            + " candidates/s, %d cores, load %.1f%n",
        read,
        candidatesRead,
        seconds,
        cpu,
        read / seconds,
        candidatesRead / seconds / 1e6,
        Runtime.getRuntime().availableProcessors(),
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  private static void synth(String sizeName, Path workdir) throws IOException {
    SynthSize size = SynthSize.preset(sizeName);
    Files.createDirectories(workdir);
    for (String run : List.of("first run in this JVM", "warm run")) {
      Path out = workdir.resolve("synth-" + sizeName);
      long start = System.nanoTime();
      RgeSynth.generate(out, 0, size, true);
      System.out.printf(
          "rge data synth --size %s (%s): %.1f s, %.1f MB on disk%n",
          sizeName, run, (System.nanoTime() - start) / 1e9, folderBytes(out) / 1e6);
    }
  }

  private static long folderBytes(Path root) throws IOException {
    try (var paths = Files.walk(root)) {
      return paths
          .filter(Files::isRegularFile)
          .mapToLong(
              p -> {
                try {
                  return Files.size(p);
                } catch (IOException e) {
                  return 0;
                }
              })
          .sum();
    }
  }

  private static long cpuNanos() {
    var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
  }

  private static void sql(String text) throws SQLException {
    try (Connection connection = DuckDb.open();
        Statement statement = connection.createStatement()) {
      statement.execute(text);
    }
  }
}
