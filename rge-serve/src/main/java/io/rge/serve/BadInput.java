package io.rge.serve;

/** A request the server cannot take: answered 400 with the field it names. */
final class BadInput extends RuntimeException {
  private final String field;

  BadInput(String field, String message) {
    super(field + ": " + message);
    this.field = field;
  }

  String field() {
    return field;
  }
}
