package io.rge.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rge.core.MultimodalInput;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A {@code POST /v1/embeddings} body in the shape of OpenAI's embeddings API: {@code input} a
 * string or a list whose items are strings or objects {@code {text, image, role, reasoning}}, and
 * {@code encoding_format} {@code float} (default) or {@code base64}. A string item is a query with
 * reasoning on; {@code role} is {@code query} (default) or {@code candidate}; {@code reasoning} is
 * {@code on} (default), {@code off} or {@code auto}, which is taken as {@code on} until the
 * adaptive mode lands.
 *
 * @param items the inputs, in order
 * @param base64 true for {@code encoding_format: base64}
 * @param model the {@code model} field as given, echoed in the answer ("" when absent)
 */
record EmbeddingsRequest(List<EmbeddingItem> items, boolean base64, String model) {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> TOP_FIELDS =
      Set.of("input", "model", "encoding_format", "user", "dimensions");
  private static final Set<String> ITEM_FIELDS = Set.of("text", "image", "role", "reasoning");

  /** Parses a body; a {@link BadInput} naming the field for anything malformed. */
  static EmbeddingsRequest parse(byte[] body, int maxInputs, long maxImagePixels) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new BadInput("body", "is not valid JSON (" + e.getOriginalMessage() + ")");
    } catch (java.io.IOException e) {
      throw new BadInput("body", "could not be read");
    }
    if (root == null || !root.isObject()) {
      throw new BadInput("body", "expected a JSON object");
    }
    for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!TOP_FIELDS.contains(name)) {
        throw new BadInput(name, "unknown field (expected one of " + TOP_FIELDS + ")");
      }
    }
    if (root.has("dimensions")) {
      throw new BadInput("dimensions", "is not supported: the model's width is fixed");
    }
    boolean base64 = format(root.get("encoding_format"));
    String model = optionalText(root, "model", "model");
    JsonNode input = root.get("input");
    if (input == null || input.isNull()) {
      throw new BadInput("input", "is required");
    }
    List<EmbeddingItem> items = new ArrayList<>();
    if (input.isTextual()) {
      items.add(item("input", input, maxImagePixels));
    } else if (input.isArray()) {
      if (input.isEmpty()) {
        throw new BadInput("input", "is an empty list");
      }
      if (input.size() > maxInputs) {
        throw new BadInput(
            "input", "has " + input.size() + " items, more than the limit of " + maxInputs);
      }
      for (int i = 0; i < input.size(); i++) {
        items.add(item("input[" + i + "]", input.get(i), maxImagePixels));
      }
    } else {
      throw new BadInput("input", "expected a string or a list, got " + kind(input));
    }
    return new EmbeddingsRequest(List.copyOf(items), base64, model == null ? "" : model);
  }

  private static boolean format(JsonNode node) {
    if (node == null || node.isNull()) {
      return false;
    }
    if (!node.isTextual()) {
      throw new BadInput("encoding_format", "expected float or base64, got " + kind(node));
    }
    return switch (node.asText()) {
      case "float" -> false;
      case "base64" -> true;
      default ->
          throw new BadInput(
              "encoding_format", "expected float or base64, got \"" + node.asText() + "\"");
    };
  }

  private static EmbeddingItem item(String field, JsonNode node, long maxImagePixels) {
    if (node.isTextual()) {
      return new EmbeddingItem(MultimodalInput.text(node.asText()), true, true);
    }
    if (!node.isObject()) {
      throw new BadInput(field, "expected a string or an object, got " + kind(node));
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!ITEM_FIELDS.contains(name)) {
        throw new BadInput(
            field + "." + name, "unknown field (expected one of " + ITEM_FIELDS + ")");
      }
    }
    String text = optionalText(node, "text", field + ".text");
    String imageUri = optionalText(node, "image", field + ".image");
    if ((text == null || text.isEmpty()) && imageUri == null) {
      throw new BadInput(field, "needs a text or an image");
    }
    BufferedImage image =
        imageUri == null ? null : InlineImage.decode(field + ".image", imageUri, maxImagePixels);
    String role = optionalText(node, "role", field + ".role");
    boolean query =
        switch (role == null ? "query" : role.toLowerCase(Locale.ROOT)) {
          case "query" -> true;
          case "candidate" -> false;
          default ->
              throw new BadInput(
                  field + ".role", "expected query or candidate, got \"" + role + "\"");
        };
    String reasoning = optionalText(node, "reasoning", field + ".reasoning");
    if (!query && reasoning != null) {
      throw new BadInput(field + ".reasoning", "applies to queries only (role is candidate)");
    }
    // auto: on until the adaptive mode (deciding per query whether to reason) lands.
    boolean reason =
        switch (reasoning == null ? "on" : reasoning.toLowerCase(Locale.ROOT)) {
          case "on", "auto" -> true;
          case "off" -> false;
          default ->
              throw new BadInput(
                  field + ".reasoning", "expected on, off or auto, got \"" + reasoning + "\"");
        };
    return new EmbeddingItem(new MultimodalInput(text == null ? "" : text, image), query, reason);
  }

  private static String optionalText(JsonNode parent, String name, String field) {
    JsonNode node = parent.get(name);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw new BadInput(field, "expected a string, got " + kind(node));
    }
    return node.asText();
  }

  private static String kind(JsonNode node) {
    return node.getNodeType().name().toLowerCase(Locale.ROOT);
  }
}
