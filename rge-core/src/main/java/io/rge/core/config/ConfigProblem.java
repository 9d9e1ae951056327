package io.rge.core.config;

import java.util.Collection;
import java.util.Objects;
import java.util.stream.Collectors;

/** What is wrong with a configuration, and at which path of its tree. */
record ConfigProblem(FieldPath path, String message) {

  static ConfigProblem unknownKey(FieldPath path, Collection<?> knownKeys) {
    FieldPath parent = path.parent();
    String known =
        knownKeys.stream()
            .map(Objects::toString)
            .sorted()
            .collect(Collectors.joining(", ", "[", "]"));
    return new ConfigProblem(
        path,
        "unknown key '"
            + path.last()
            + "' "
            + (parent.isRoot() ? "at the top level" : "in '" + parent + "'")
            + "; known keys: "
            + known);
  }

  ConfigException toException(ConfigSources sources) {
    return new ConfigException(sources.where(path) + ": " + message);
  }

  static ConfigProblem missing(FieldPath path) {
    return new ConfigProblem(path, "missing required field '" + path + "'");
  }

  static ConfigProblem empty(FieldPath path) {
    return new ConfigProblem(path, "required field '" + path + "' is empty");
  }
}
