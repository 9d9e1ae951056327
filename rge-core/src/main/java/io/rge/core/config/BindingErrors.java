package io.rge.core.config;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;

/** Turns Jackson's binding failures into a path and a message users can act on. */
final class BindingErrors {
  private BindingErrors() {}

  static ConfigProblem explain(JsonMappingException e, JsonNode root) {
    FieldPath path = FieldPath.of(e.getPath());
    if (e instanceof UnrecognizedPropertyException u) {
      return ConfigProblem.unknownKey(path, u.getKnownPropertyIds());
    }
    if (e instanceof ValueInstantiationException) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      String what = path.isRoot() ? "invalid configuration" : "invalid '" + path + "'";
      String why = cause.getMessage() != null ? cause.getMessage() : cause.toString();
      return new ConfigProblem(path, what + ": " + why);
    }
    if (e instanceof MismatchedInputException m) {
      Class<?> target = m.getTargetType();
      if (target != null && target.isArray() && !path.isRoot() && path.last() instanceof Integer) {
        // Primitive-array deserializers report their own type for a bad element.
        target = target.getComponentType();
      }
      return new ConfigProblem(
          path,
          "'"
              + path
              + "' must be "
              + Nodes.expected(target)
              + ", got "
              + Nodes.describe(root.at(path.pointer())));
    }
    String first = e.getOriginalMessage().lines().findFirst().orElse(e.getOriginalMessage());
    return new ConfigProblem(path, (path.isRoot() ? "" : "'" + path + "': ") + first);
  }
}
