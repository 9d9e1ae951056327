package io.rge.cli.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rge.core.QueryEmbedding;
import io.rge.core.files.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Where {@code rge embed --out} keeps the vectors: JSON with the rationales, or NumPy's .npy. */
final class EmbeddingsFile {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  enum Format {
    JSON,
    NPY
  }

  private EmbeddingsFile() {}

  /** The format named by the file's extension; an error for any other. */
  static Format formatOf(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".json")) {
      return Format.JSON;
    }
    if (name.endsWith(".npy")) {
      return Format.NPY;
    }
    throw new IllegalArgumentException(
        "--out " + file + ": expected a file ending in .json or .npy");
  }

  static void write(
      Path file,
      Format format,
      List<EmbedInputs.Input> inputs,
      List<QueryEmbedding> embedded,
      boolean reasoning)
      throws IOException {
    if (format == Format.NPY) {
      NpyFile.write(file, embedded.stream().map(QueryEmbedding::vector).toList());
      return;
    }
    ObjectNode root = JSON.createObjectNode();
    root.put("reasoning", reasoning);
    root.put("dimension", embedded.get(0).vector().length);
    ArrayNode rows = root.putArray("embeddings");
    for (int i = 0; i < embedded.size(); i++) {
      QueryEmbedding q = embedded.get(i);
      ObjectNode row = rows.addObject();
      row.put("text", inputs.get(i).text());
      row.put("image", inputs.get(i).image() == null ? null : inputs.get(i).image().toString());
      row.put("rationale", reasoning ? q.rationale() : null);
      row.put("emb_appended", q.embAppended());
      ArrayNode vector = row.putArray("vector");
      for (float v : q.vector()) {
        vector.add(v);
      }
    }
    AtomicFiles.write(file, JSON.writeValueAsBytes(root));
  }
}
