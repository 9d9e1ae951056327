package io.rge.training.parity;

import io.rge.core.DeviceChoice;
import io.rge.core.LoadOptions;
import io.rge.core.RgeModel;
import io.rge.core.precision.ComputePrecision;
import io.rge.core.qwen25vl.ImagePositions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A parity run: a model folder on every case of a transformers reference fixture it knows ({@code
 * img*}, {@code batch_*}, {@code loss}), one printed row per compared tensor — name, max absolute
 * error, relative error {@code ‖a−b‖/‖b‖}, tolerance, PASS/FAIL.
 *
 * <p>Nothing about the model is assumed beyond its architecture: sizes and special ids come from
 * the folder's {@code config.json}, {@code <emb>} from its tokenizer.
 */
public final class ParityRun {
  private static final Logger LOG = LoggerFactory.getLogger(ParityRun.class);

  private ParityRun() {}

  /**
   * Runs every case and prints the table to {@code out}.
   *
   * @param expected the fixture's expected.safetensors or expected.json (the other is beside it)
   * @return true when every row passed and at least one tensor was compared
   */
  public static boolean run(
      Path model, Path expected, ImagePositions positions, DeviceChoice device, PrintWriter out)
      throws IOException {
    return run(model, expected, positions, device, ComputePrecision.FP32, out);
  }

  /**
   * {@link #run(Path, Path, ImagePositions, DeviceChoice, PrintWriter)} with the model computing in
   * {@code precision} (null: the device's default), against the tolerances of that precision
   * ({@link ParityTolerances}).
   */
  public static boolean run(
      Path model,
      Path expected,
      ImagePositions positions,
      DeviceChoice device,
      ComputePrecision precision,
      PrintWriter out)
      throws IOException {
    List<CaseResult> results = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    try (ParityFixture fixture = ParityFixture.open(expected);
        RgeModel m = RgeModel.load(options(model, device, positions, precision));
        // A half-precision run also needs the reference's logits at generated positions, which the
        // fixture does not hold: the same checkpoint in fp32 (HalfGenerationCheck).
        RgeModel fp32 =
            m.network().weights().storage() == ai.djl.ndarray.types.DataType.FLOAT32
                ? null
                : RgeModel.load(options(model, device, positions, ComputePrecision.FP32))) {
      out.printf(
          "model %s on %s, positions %s; reference %s%n",
          model,
          m.device(),
          positions.name().toLowerCase(java.util.Locale.ROOT),
          fixture.tensorsFile());
      ParitySession session = new ParitySession(m, fp32 == null ? m : fp32, fixture, positions);
      // The loss case runs last: it records gradients, which nothing else needs.
      List<String> cases = new ArrayList<>(fixture.cases());
      cases.sort((a, b) -> Boolean.compare(isLoss(a), isLoss(b)));
      for (String kase : cases) {
        CaseKind kind = CaseKind.of(kase);
        String missing = kind.missingInput(fixture, kase);
        if (kind == CaseKind.UNKNOWN) {
          skipped.add(kase + " (not a case kind this command knows)");
        } else if (missing != null) {
          skipped.add(kase + " (the fixture has no " + missing + ")");
        } else {
          LOG.info("parity case {}", kase);
          results.add(run(session, kind, kase));
        }
      }
      int failed = ParityReport.print(out, results, skipped);
      if (failed > 0
          && positions == ImagePositions.GRID
          && !fixture.hasAnyEndingWith("position_ids")
          && results.stream().anyMatch(r -> r.hasImages() && !r.passed())) {
        out.println(
            "hint: cases with images fail and the fixture has no *.position_ids: it may have been"
                + " computed without mm_token_type_ids (sequential image positions); try"
                + " --positions sequential");
      }
      boolean anyCompared = results.stream().anyMatch(r -> !r.rows().isEmpty());
      return failed == 0 && anyCompared;
    }
  }

  private static boolean isLoss(String kase) {
    return CaseKind.of(kase) == CaseKind.LOSS;
  }

  private static CaseResult run(ParitySession session, CaseKind kind, String kase) {
    try {
      return switch (kind) {
        case IMAGE -> ImageCase.run(session, kase);
        case BATCH -> BatchCase.run(session, kase);
        case LOSS -> LossCase.run(session, kase);
        case UNKNOWN -> throw new IllegalStateException("unknown case " + kase);
      };
    } catch (RuntimeException e) {
      // One broken case (shapes that do not fit the model, say) is a failed row, not the end.
      LOG.debug("case {} failed", kase, e);
      return new CaseResult(
          kase,
          false,
          List.of(ParityRow.failed(kase, Tolerance.exact(), "case failed: " + e.getMessage())));
    }
  }

  /** The case kinds of the fixture format and the input tensors each needs. */
  private enum CaseKind {
    IMAGE("input_ids"),
    BATCH("input_ids"),
    LOSS("query_input_ids", "query_labels", "target_input_ids"),
    UNKNOWN;

    private final String[] inputs;

    CaseKind(String... inputs) {
      this.inputs = inputs;
    }

    static CaseKind of(String kase) {
      if (kase.startsWith("img")) {
        return IMAGE;
      }
      if (kase.startsWith("batch_")) {
        return BATCH;
      }
      return kase.equals("loss") ? LOSS : UNKNOWN;
    }

    /** The first input tensor the fixture lacks for this case, or null. */
    String missingInput(ParityFixture fixture, String kase) {
      for (String input : inputs) {
        if (!fixture.has(kase + "." + input)) {
          return kase + "." + input;
        }
      }
      return null;
    }
  }

  private static LoadOptions options(
      Path model, DeviceChoice device, ImagePositions positions, ComputePrecision precision) {
    return LoadOptions.builder()
        .setModel(model)
        .optDevice(device)
        .optPositions(positions)
        .optPrecision(precision)
        .build();
  }
}
