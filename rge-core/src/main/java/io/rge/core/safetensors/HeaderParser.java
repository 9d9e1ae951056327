package io.rge.core.safetensors;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Parses and validates the JSON header of a safetensors file.
 *
 * <p>It streams the JSON instead of building a tree so that a large hostile header cannot inflate
 * into an object graph many times its size.
 */
final class HeaderParser {
  static final String METADATA_KEY = "__metadata__";

  /** No real tensor has this many dimensions; the cap bounds memory on hostile headers. */
  private static final int MAX_RANK = 64;

  private static final JsonFactory JSON =
      JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  /** The validated content of a header. */
  record Header(Map<String, TensorInfo> tensors, Map<String, String> metadata) {}

  private final String file;

  private HeaderParser(String file) {
    this.file = file;
  }

  /**
   * Parses {@code json} (the header bytes) of {@code file}, whose data section has {@code dataSize}
   * bytes, and checks every tensor entry against it.
   */
  static Header parse(byte[] json, String file, long dataSize) {
    HeaderParser parser = new HeaderParser(file);
    Header header;
    try (JsonParser p = JSON.createParser(json)) {
      header = parser.parseRoot(p);
    } catch (StreamConstraintsException e) {
      throw parser.error("header JSON exceeds parser limits: " + e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      throw parser.error("header is malformed JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw parser.error("header could not be parsed: " + e.getMessage());
    }
    parser.checkLayout(header.tensors().values(), dataSize);
    return header;
  }

  private Header parseRoot(JsonParser p) throws IOException {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      throw error("header is not a JSON object");
    }
    Map<String, TensorInfo> tensors = new TreeMap<>();
    Map<String, String> metadata = Map.of();
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      p.nextToken();
      if (METADATA_KEY.equals(key)) {
        metadata = parseMetadata(p);
      } else {
        tensors.put(key, parseTensor(p, key));
      }
    }
    if (t != JsonToken.END_OBJECT) {
      throw error("header is malformed JSON: unexpected " + t);
    }
    if (p.nextToken() != null) {
      throw error("header has data after its JSON object (only space padding is allowed)");
    }
    return new Header(Collections.unmodifiableMap(tensors), metadata);
  }

  private Map<String, String> parseMetadata(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw error("'" + METADATA_KEY + "' must be an object of strings");
    }
    Map<String, String> metadata = new TreeMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      if (p.nextToken() != JsonToken.VALUE_STRING) {
        throw error("'" + METADATA_KEY + "." + key + "' must be a string, got " + p.currentToken());
      }
      metadata.put(key, p.getText());
    }
    return Collections.unmodifiableMap(metadata);
  }

  private TensorInfo parseTensor(JsonParser p, String name) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw error(tensor(name) + "entry must be an object, got " + p.currentToken());
    }
    String dtypeName = null;
    long[] shape = null;
    long[] offsets = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      switch (field) {
        case "dtype" -> {
          if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw error(tensor(name) + "'dtype' must be a string, got " + p.currentToken());
          }
          dtypeName = p.getText();
        }
        case "shape" -> shape = parseNonNegativeLongs(p, name, "shape", MAX_RANK);
        case "data_offsets" -> offsets = parseNonNegativeLongs(p, name, "data_offsets", 2);
        default -> p.skipChildren(); // unknown fields are ignored, as the reference reader does
      }
    }
    if (dtypeName == null) {
      throw error(tensor(name) + "missing 'dtype'");
    }
    if (shape == null) {
      throw error(tensor(name) + "missing 'shape'");
    }
    if (offsets == null) {
      throw error(tensor(name) + "missing 'data_offsets'");
    }
    if (offsets.length != 2) {
      throw error(
          tensor(name) + "'data_offsets' must be [begin, end], got " + Arrays.toString(offsets));
    }
    DType dtype = DType.fromHeaderName(dtypeName);
    if (dtype == null) {
      throw error(
          tensor(name)
              + "unsupported dtype '"
              + dtypeName
              + "' (supported: "
              + Arrays.toString(DType.values())
              + ")");
    }
    return new TensorInfo(name, dtype, shape, offsets[0], offsets[1]);
  }

  private long[] parseNonNegativeLongs(JsonParser p, String name, String field, int maxLength)
      throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw error(tensor(name) + "'" + field + "' must be an array, got " + p.currentToken());
    }
    List<Long> values = new ArrayList<>();
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t != JsonToken.VALUE_NUMBER_INT) {
        throw error(tensor(name) + "'" + field + "' must hold integers, got " + t);
      }
      if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
        throw error(tensor(name) + "'" + field + "' value " + p.getText() + " is too large");
      }
      long v = p.getLongValue();
      if (v < 0) {
        throw error(tensor(name) + "'" + field + "' has negative value " + v);
      }
      if (values.size() == maxLength) {
        throw error(tensor(name) + "'" + field + "' has more than " + maxLength + " entries");
      }
      values.add(v);
    }
    return values.stream().mapToLong(Long::longValue).toArray();
  }

  private void checkLayout(Iterable<TensorInfo> tensors, long dataSize) {
    List<TensorInfo> byOffset = new ArrayList<>();
    for (TensorInfo t : tensors) {
      String where = tensor(t.name()) + "data_offsets [" + t.begin() + ", " + t.end() + "] ";
      if (t.begin() > t.end()) {
        throw error(where + "are reversed (begin > end)");
      }
      if (t.end() > dataSize) {
        throw error(
            where + "lie outside the data section of " + dataSize + " bytes (truncated file?)");
      }
      long bytes;
      try {
        bytes = Math.multiplyExact(t.elementCount(), t.dtype().byteSize());
      } catch (ArithmeticException e) {
        throw error(tensor(t.name()) + "shape " + Arrays.toString(t.shape()) + " overflows");
      }
      if (bytes != t.byteLength()) {
        throw error(
            tensor(t.name())
                + "shape "
                + Arrays.toString(t.shape())
                + " of "
                + t.dtype()
                + " needs "
                + bytes
                + " bytes but "
                + where
                + "span "
                + t.byteLength());
      }
      if (bytes > 0) {
        byOffset.add(t);
      }
    }
    byOffset.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
    TensorInfo reach = null; // the tensor reaching furthest so far
    for (TensorInfo t : byOffset) {
      if (reach != null && t.begin() < reach.end()) {
        throw error(
            "tensors '"
                + reach.name()
                + "' ["
                + reach.begin()
                + ", "
                + reach.end()
                + ") and '"
                + t.name()
                + "' ["
                + t.begin()
                + ", "
                + t.end()
                + ") overlap");
      }
      if (reach == null || t.end() > reach.end()) {
        reach = t;
      }
    }
  }

  private static String tensor(String name) {
    return "tensor '" + name + "': ";
  }

  private SafetensorsException error(String problem) {
    return new SafetensorsException(file + ": " + problem);
  }
}
