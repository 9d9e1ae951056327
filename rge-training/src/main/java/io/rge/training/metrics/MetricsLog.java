package io.rge.training.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rge.core.files.AtomicFiles;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * {@code metrics.jsonl}: one JSON object per optimizer step, flushed as it is written so that a
 * crash loses nothing logged. A resumed run first rewrites the file from the checkpoint's history
 * (through a temporary file and a rename), so that steps logged after that checkpoint, which the
 * resumed run repeats, do not appear twice.
 */
public final class MetricsLog implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  private final BufferedWriter writer;

  private MetricsLog(BufferedWriter writer) {
    this.writer = writer;
  }

  /** Opens {@code file} holding exactly {@code history}, ready to append. */
  public static MetricsLog open(Path file, List<StepMetrics> history) throws IOException {
    AtomicFiles.write(
        file,
        out -> {
          for (StepMetrics m : history) {
            out.write(
                (JSON.writeValueAsString(m) + System.lineSeparator())
                    .getBytes(StandardCharsets.UTF_8));
          }
        });
    return new MetricsLog(
        Files.newBufferedWriter(
            file, StandardCharsets.UTF_8, StandardOpenOption.WRITE, StandardOpenOption.APPEND));
  }

  public void append(StepMetrics metrics) {
    try {
      writer.write(JSON.writeValueAsString(metrics));
      writer.newLine();
      writer.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write metrics", e);
    }
  }

  /** Reads a metrics file back (for tools and tests). */
  public static List<StepMetrics> read(Path file) throws IOException {
    return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
        .filter(line -> !line.isBlank())
        .map(
            line -> {
              try {
                return JSON.readValue(line, StepMetrics.class);
              } catch (IOException e) {
                throw new UncheckedIOException(file + ": bad metrics line: " + line, e);
              }
            })
        .toList();
  }

  @Override
  public void close() throws IOException {
    writer.close();
  }
}
