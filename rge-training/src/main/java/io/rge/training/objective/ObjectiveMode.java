package io.rge.training.objective;

import java.util.Locale;

/** Which training objective runs. */
public enum ObjectiveMode {
  /**
   * RGE: LM loss on oracle rationales plus InfoNCE on queries embedded after rationales the model
   * generates itself, on the fly.
   */
  RGE,
  /**
   * No reasoning anywhere: queries are prompt + {@code <emb>}, no LM term (the paper's baseline).
   */
  BASELINE,
  /**
   * Ablation: the contrastive queries use the oracle rationale instead of a generated one, which
   * leaks the answer into the query.
   */
  ORACLE_LEAK;

  /** {@code rge}, {@code baseline} or {@code oracle-leak} (any case, '-' or '_'). */
  public static ObjectiveMode parse(String value) {
    String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    return switch (v) {
      case "rge" -> RGE;
      case "baseline" -> BASELINE;
      case "oracle-leak" -> ORACLE_LEAK;
      default ->
          throw new IllegalArgumentException(
              "objective mode '" + value + "' is not one of rge, baseline, oracle-leak");
    };
  }

  /** The name used in configs, reports and folder names. */
  public String id() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
