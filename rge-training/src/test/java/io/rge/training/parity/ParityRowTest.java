package io.rge.training.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The comparison arithmetic of parity rows, against hand-computed values. */
class ParityRowTest {
  @Test
  void floatTensorsGiveMaxAbsoluteAndRelativeL2Error() {
    // diff (0, 0.5, -1): max 1; ‖diff‖ = sqrt(1.25), ‖expected‖ = sqrt(1 + 4 + 4) = 3
    ParityRow row =
        ParityRow.compare(
            "t", new float[] {1, 2, 2}, new float[] {1, 2.5f, 1}, Tolerance.absolute(1));
    assertEquals(1.0, row.maxAbs(), 0);
    assertEquals(Math.sqrt(1.25) / 3, row.relative(), 1e-12);
    assertTrue(row.passed(), "max abs 1 meets abs 1");
    assertFalse(
        ParityRow.compare("t", new float[] {1}, new float[] {1.5f}, Tolerance.absolute(0.1))
            .passed());
  }

  @Test
  void scalarsAreJudgedByRelativeError() {
    ParityRow close = ParityRow.compare("lm", 2.0, 2.00001, Tolerance.relative(1e-5));
    assertEquals(5e-6, close.relative(), 1e-12);
    assertTrue(close.passed());
    assertFalse(ParityRow.compare("lm", 2.0, 2.0001, Tolerance.relative(1e-5)).passed());
  }

  @Test
  void nanAndShapeMismatchNeverPass() {
    ParityRow nan =
        ParityRow.compare(
            "t", new float[] {1, 2}, new float[] {Float.NaN, 2}, Tolerance.relative(1));
    assertFalse(nan.passed());
    assertTrue(nan.note().contains("NaN"), nan.note());
    assertFalse(ParityRow.compare("lm", 1.0, Double.NaN, Tolerance.relative(1)).passed());
    ParityRow size =
        ParityRow.compare("t", new float[] {1, 2}, new float[] {1}, Tolerance.absolute(1));
    assertFalse(size.passed());
    assertTrue(size.note().contains("size"), size.note());
  }

  @Test
  void tokenSequencesCountMismatchesAndMissingPositions() {
    ParityRow same = ParityRow.compareTokens("seq", new int[] {5, 6, 7}, new int[] {5, 6, 7});
    assertTrue(same.passed());
    ParityRow off = ParityRow.compareTokens("seq", new int[] {5, 6, 7, 8}, new int[] {5, 9, 7});
    assertEquals(2, off.maxAbs(), 0, "one different token, one missing");
    assertEquals(0.5, off.relative(), 0);
    assertFalse(off.passed());
    assertEquals("exact", off.tolerance().toString());
  }

  @Test
  void integerTensorsMustBeEqual() {
    assertTrue(ParityRow.compare("pos", new long[] {0, 1, 2}, new long[] {0, 1, 2}).passed());
    ParityRow off = ParityRow.compare("pos", new long[] {0, 1, 2}, new long[] {0, 1, 4});
    assertEquals(2, off.maxAbs(), 0);
    assertFalse(off.passed());
  }
}
