package io.rge.data.synth;

import java.util.List;

/**
 * How often generated rationales get the parts of the truth right, as fractions in [0, 1]: the
 * colour the fact starts from, the shape (over rows whose oracle rationale names one) and the
 * answer colour. Each part is read from both texts by {@link RationaleReading}; a part missing from
 * a generated rationale counts as wrong.
 *
 * @param rows rationales compared
 * @param colour fraction with the right input colour
 * @param shape fraction with the right shape among rows whose oracle names a shape (NaN if none)
 * @param answer fraction with the right answer colour
 */
public record RationaleAccuracy(int rows, double colour, double shape, double answer) {

  /**
   * Compares {@code generated.get(i)} with {@code oracle.get(i)} for every row.
   *
   * @throws IllegalArgumentException when the lists differ in length or are empty
   */
  public static RationaleAccuracy of(List<String> oracle, List<String> generated) {
    if (oracle.size() != generated.size()) {
      throw new IllegalArgumentException(
          "rationale counts differ: "
              + oracle.size()
              + " oracle, "
              + generated.size()
              + " generated");
    }
    if (oracle.isEmpty()) {
      throw new IllegalArgumentException("no rationales to compare");
    }
    int colour = 0;
    int shape = 0;
    int shapeRows = 0;
    int answer = 0;
    for (int i = 0; i < oracle.size(); i++) {
      RationaleReading truth = RationaleReading.of(oracle.get(i));
      RationaleReading said = RationaleReading.of(generated.get(i));
      if (truth.colour() == null || truth.answer() == null) {
        throw new IllegalArgumentException(
            "oracle rationale " + i + " has no '{t} of {c} is {c2}' fact: " + oracle.get(i));
      }
      colour += truth.colour().equals(said.colour()) ? 1 : 0;
      answer += truth.answer().equals(said.answer()) ? 1 : 0;
      if (truth.shape() != null) {
        shapeRows++;
        shape += truth.shape().equals(said.shape()) ? 1 : 0;
      }
    }
    int n = oracle.size();
    return new RationaleAccuracy(
        n,
        (double) colour / n,
        shapeRows == 0 ? Double.NaN : (double) shape / shapeRows,
        (double) answer / n);
  }
}
