package io.rge.core.config;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonMappingException;
import java.util.ArrayList;
import java.util.List;

/**
 * A position in a configuration tree: keys (strings) and list indices (integers), shown to users as
 * {@code datasets[2].name}.
 */
record FieldPath(List<Object> segments) {
  static final FieldPath ROOT = new FieldPath(List.of());

  FieldPath {
    segments = List.copyOf(segments);
  }

  static FieldPath of(List<JsonMappingException.Reference> references) {
    FieldPath path = ROOT;
    for (JsonMappingException.Reference ref : references) {
      path =
          ref.getFieldName() != null ? path.child(ref.getFieldName()) : path.child(ref.getIndex());
    }
    return path;
  }

  FieldPath child(Object segment) {
    List<Object> longer = new ArrayList<>(segments);
    longer.add(segment);
    return new FieldPath(longer);
  }

  boolean isRoot() {
    return segments.isEmpty();
  }

  /** The enclosing path; the root is its own parent. */
  FieldPath parent() {
    return isRoot() ? this : new FieldPath(segments.subList(0, segments.size() - 1));
  }

  Object last() {
    return segments.get(segments.size() - 1);
  }

  boolean startsWith(FieldPath prefix) {
    return segments.size() >= prefix.segments.size()
        && segments.subList(0, prefix.segments.size()).equals(prefix.segments);
  }

  /** The JSON pointer of this path, the key the streaming parser reports locations under. */
  String pointer() {
    JsonPointer pointer = JsonPointer.empty();
    for (Object segment : segments) {
      pointer =
          segment instanceof Integer i
              ? pointer.appendIndex(i)
              : pointer.appendProperty((String) segment);
    }
    return pointer.toString();
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder();
    for (Object segment : segments) {
      if (segment instanceof Integer i) {
        text.append('[').append(i).append(']');
      } else {
        text.append(text.length() == 0 ? "" : ".").append(segment);
      }
    }
    return text.toString();
  }
}
