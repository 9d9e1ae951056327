package io.rge.training.objective;

import io.rge.core.MultimodalInput;
import java.util.List;

/**
 * One query/target pair of a training batch.
 *
 * @param query the query (text with {@code <|image_1|>} when it has an image)
 * @param oracleRationale the oracle rationale that supervises the LM term; null when the row has
 *     none (it then contributes to the contrastive term only)
 * @param target the positive candidate
 * @param hardNegatives extra negative candidates for this query (may be empty)
 */
public record TrainExample(
    MultimodalInput query,
    String oracleRationale,
    MultimodalInput target,
    List<MultimodalInput> hardNegatives) {

  public TrainExample {
    hardNegatives = List.copyOf(hardNegatives);
    if (query == null || target == null) {
      throw new IllegalArgumentException("query and target are required");
    }
    if (oracleRationale != null && oracleRationale.isBlank()) {
      throw new IllegalArgumentException("an oracle rationale, when given, must not be blank");
    }
  }
}
