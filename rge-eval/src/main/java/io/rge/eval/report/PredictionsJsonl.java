package io.rge.eval.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.rge.core.files.AtomicFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code predictions.jsonl}: one {@link Prediction} per line, snake_case keys. */
public final class PredictionsJsonl {
  private static final ObjectMapper JSON =
      new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

  private PredictionsJsonl() {}

  /** Writes all predictions atomically. */
  public static void write(Path file, List<Prediction> predictions) throws IOException {
    AtomicFiles.write(
        file,
        out -> {
          for (Prediction p : predictions) {
            writeLine(out, p);
          }
        });
  }

  /** Reads a predictions file back. */
  public static List<Prediction> read(Path file) throws IOException {
    List<Prediction> out = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int n = 0;
      while ((line = in.readLine()) != null) {
        n++;
        if (line.isBlank()) {
          continue;
        }
        try {
          out.add(JSON.readValue(line, Prediction.class));
        } catch (IOException e) {
          throw new IOException(file + ":" + n + ": not a prediction: " + e.getMessage(), e);
        }
      }
    }
    return out;
  }

  private static void writeLine(OutputStream out, Prediction p) throws IOException {
    out.write(JSON.writeValueAsBytes(p));
    out.write('\n');
  }
}
