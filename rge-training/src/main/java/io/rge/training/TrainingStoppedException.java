package io.rge.training;

/**
 * A run stopped because too many steps in a row had a non-finite loss or gradient. Nothing written
 * before is touched: the last checkpoint, if any, is intact and a later run resumes from it.
 */
public final class TrainingStoppedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  TrainingStoppedException(String message) {
    super(message);
  }
}
