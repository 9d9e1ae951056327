package io.rge.cli.quickstart;

import io.rge.data.rationale.OracleRationaleStore;
import io.rge.data.synth.RationaleAccuracy;
import io.rge.data.synth.SynthLayout;
import io.rge.eval.report.Prediction;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks the rationales an evaluation generated against RGE-Synth's truth: each eval dataset's
 * oracle rationales ({@link SynthLayout#evalRationales}), row by row, pooled over the datasets.
 */
final class RationaleScoring {
  private RationaleScoring() {}

  /**
   * @param synth the seed's RGE-Synth folder
   * @param seen which split {@code predictions} are of
   * @param predictions every row of the split, with its generated rationale
   * @throws IOException when a dataset has no oracle rationale for a row
   */
  static RationaleAccuracy score(SynthLayout synth, boolean seen, List<Prediction> predictions)
      throws IOException {
    Map<String, List<Prediction>> byDataset = new TreeMap<>();
    for (Prediction p : predictions) {
      byDataset.computeIfAbsent(p.dataset(), d -> new ArrayList<>()).add(p);
    }
    List<String> oracle = new ArrayList<>();
    List<String> generated = new ArrayList<>();
    for (Map.Entry<String, List<Prediction>> e : byDataset.entrySet()) {
      var file = synth.evalRationales(seen, e.getKey());
      List<Prediction> rows = e.getValue();
      long rowCount = rows.stream().mapToLong(Prediction::row).max().orElse(-1) + 1;
      OracleRationaleStore truth = OracleRationaleStore.load(file, rowCount);
      for (Prediction p : rows) {
        oracle.add(
            truth
                .rationale(p.row())
                .orElseThrow(() -> new IOException(file + " has no rationale for row " + p.row())));
        generated.add(p.rationale());
      }
    }
    return RationaleAccuracy.of(oracle, generated);
  }
}
