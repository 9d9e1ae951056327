package io.rge.cli.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The queries of {@code rge embed --inputs FILE}: one JSON object a line. */
final class EmbedInputs {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One query.
   *
   * @param text its text ({@code <|image_1|>} marks the image)
   * @param image its image file, or null
   */
  record Input(String text, Path image) {}

  private EmbedInputs() {}

  /**
   * Reads {@code {"text": "...", "image": "path"}} lines ({@code image} optional and relative to
   * the file's folder; blank lines skipped).
   *
   * @throws IOException naming the file and line of a malformed entry, or when there is none
   */
  static List<Input> read(Path file) throws IOException {
    Path folder = file.toAbsolutePath().getParent();
    List<Input> out = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int number = 0;
      while ((line = reader.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        JsonNode row;
        try {
          row = JSON.readTree(line);
        } catch (JsonProcessingException e) {
          throw new IOException(
              file + ":" + number + ": not a JSON object: " + e.getOriginalMessage());
        }
        if (row == null || !row.isObject() || !row.path("text").isTextual()) {
          throw new IOException(
              file + ":" + number + ": expected {\"text\": \"...\"}, got " + line);
        }
        JsonNode image = row.get("image");
        if (image != null && !image.isNull() && !image.isTextual()) {
          throw new IOException(file + ":" + number + ": 'image' must be a path string");
        }
        Path picture =
            image == null || image.isNull() ? null : folder.resolve(image.asText()).normalize();
        if (picture != null && !Files.isRegularFile(picture)) {
          // Checked now, before the model loads: images are decoded a batch at a time later.
          throw new IOException(file + ":" + number + ": image not found: " + picture);
        }
        out.add(new Input(row.get("text").asText(), picture));
      }
    }
    if (out.isEmpty()) {
      throw new IOException(file + ": no queries (expected one JSON object a line)");
    }
    return out;
  }
}
