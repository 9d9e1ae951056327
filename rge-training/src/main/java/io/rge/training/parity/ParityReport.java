package io.rge.training.parity;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** Prints the rows of a parity run as a table, then the skipped cases and a count line. */
final class ParityReport {
  private static final String FORMAT = "%-64s %12s %12s %10s  %s%n";

  private ParityReport() {}

  /**
   * @return the number of failed rows
   */
  static int print(PrintWriter out, List<CaseResult> results, List<String> skipped) {
    out.printf(Locale.ROOT, FORMAT, "tensor", "max abs err", "rel err", "tolerance", "result");
    int total = 0;
    int failed = 0;
    for (CaseResult c : results) {
      for (ParityRow row : c.rows()) {
        total++;
        failed += row.passed() ? 0 : 1;
        out.printf(
            Locale.ROOT,
            FORMAT,
            row.name(),
            number(row.maxAbs()),
            number(row.relative()),
            row.tolerance(),
            (row.passed() ? "PASS" : "FAIL")
                + (row.note().isEmpty() ? "" : " (" + row.note() + ")"));
      }
    }
    for (String s : skipped) {
      out.println("skipped: " + s);
    }
    out.printf(Locale.ROOT, "%d rows: %d passed, %d failed%n", total, total - failed, failed);
    return failed;
  }

  private static String number(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3e", v);
  }
}
