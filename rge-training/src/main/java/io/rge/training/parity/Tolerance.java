package io.rge.training.parity;

import java.util.Locale;

/**
 * What a compared tensor must meet: a maximum absolute error, a maximum relative error {@code
 * ‖a−b‖/‖b‖}, or exact equality (token ids, positions).
 */
record Tolerance(Kind kind, double limit) {
  enum Kind {
    ABSOLUTE,
    RELATIVE,
    EXACT
  }

  Tolerance {
    if (!(limit >= 0)) {
      throw new IllegalArgumentException("tolerance must be >= 0, got " + limit);
    }
  }

  static Tolerance absolute(double limit) {
    return new Tolerance(Kind.ABSOLUTE, limit);
  }

  static Tolerance relative(double limit) {
    return new Tolerance(Kind.RELATIVE, limit);
  }

  static Tolerance exact() {
    return new Tolerance(Kind.EXACT, 0);
  }

  boolean accepts(double maxAbs, double relative) {
    return switch (kind) {
      case ABSOLUTE -> maxAbs <= limit;
      case RELATIVE -> relative <= limit;
      case EXACT -> maxAbs == 0;
    };
  }

  @Override
  public String toString() {
    return switch (kind) {
      case ABSOLUTE -> String.format(Locale.ROOT, "abs %.0e", limit);
      case RELATIVE -> String.format(Locale.ROOT, "rel %.0e", limit);
      case EXACT -> "exact";
    };
  }
}
