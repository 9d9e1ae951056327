package io.rge.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;

/**
 * The answer to {@code POST /v1/embeddings}, in OpenAI's shape: {@code data} (one {@code {object:
 * embedding, index, embedding}} per item, with the {@code rationale} of each reasoned item), {@code
 * model} and {@code usage} ({@code prompt_tokens}, {@code completion_tokens}: the rationales'
 * tokens, {@code total_tokens}). A base64 embedding is its float32 values, little-endian, as
 * OpenAI's clients decode it.
 */
final class EmbeddingsResponse {
  private static final ObjectMapper JSON = new ObjectMapper();

  private EmbeddingsResponse() {}

  static String json(List<ItemResult> results, boolean base64, String model) {
    ObjectNode root = JSON.createObjectNode();
    root.put("object", "list");
    ArrayNode data = root.putArray("data");
    long prompt = 0;
    long generated = 0;
    for (int i = 0; i < results.size(); i++) {
      ItemResult r = results.get(i);
      ObjectNode item = data.addObject();
      item.put("object", "embedding");
      item.put("index", i);
      if (base64) {
        item.put("embedding", base64(r.vector()));
      } else {
        ArrayNode values = item.putArray("embedding");
        for (float v : r.vector()) {
          values.add(v);
        }
      }
      if (r.rationale() != null) {
        item.put("rationale", r.rationale());
      }
      prompt += r.promptTokens();
      generated += r.generatedTokens();
    }
    root.put("model", model);
    ObjectNode usage = root.putObject("usage");
    usage.put("prompt_tokens", prompt);
    usage.put("completion_tokens", generated);
    usage.put("total_tokens", prompt + generated);
    return root.toString();
  }

  /** OpenAI's error shape; {@code param} names the field at fault (null when none). */
  static String error(String type, String param, String message) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode error = root.putObject("error");
    error.put("message", message);
    error.put("type", type);
    error.put("param", param);
    error.putNull("code");
    return root.toString();
  }

  static String base64(float[] vector) {
    ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES);
    bytes.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(vector);
    return Base64.getEncoder().encodeToString(bytes.array());
  }
}
