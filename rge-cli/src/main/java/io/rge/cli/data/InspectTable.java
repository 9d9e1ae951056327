package io.rge.cli.data;

import io.rge.data.inspect.InspectReport;
import io.rge.data.inspect.InspectReport.DatasetReport;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * {@code rge data inspect}'s default output: one line per dataset (rows, candidates, images found
 * of those referenced, rationale coverage) and the first errors; {@code --json} gives everything.
 */
final class InspectTable {
  static final int ERRORS_SHOWN = 10;

  private InspectTable() {}

  static void print(PrintWriter out, InspectReport report) {
    out.printf(
        Locale.ROOT,
        "%s (%s): %d datasets, %d errors%n",
        report.root(),
        report.kind(),
        report.datasets().size(),
        report.errorCount());
    int width = "dataset".length();
    for (DatasetReport d : report.datasets()) {
      width = Math.max(width, d.name().length());
    }
    String row = "%-" + width + "s  %-5s  %7s  %6s  %15s  %12s%n";
    out.printf(Locale.ROOT, row, "dataset", "kind", "rows", "cands", "images found", "rationales");
    for (DatasetReport d : report.datasets()) {
      out.printf(
          Locale.ROOT,
          row,
          d.name(),
          d.format(),
          d.rows(),
          d.candidatesPerRow() == null
              ? "-"
              : d.candidatesPerRow().min() == d.candidatesPerRow().max()
                  ? Integer.toString(d.candidatesPerRow().min())
                  : d.candidatesPerRow().min() + "-" + d.candidatesPerRow().max(),
          d.images() == null ? "-" : d.images().found() + "/" + d.images().referenced(),
          d.rationales() == null
              ? "-"
              : String.format(Locale.ROOT, "%.0f%%", 100 * d.rationales().coverage()));
    }
    if (report.images() == null) {
      out.println("images not checked (give --images)");
    }
    List<String> errors = report.errors();
    if (!errors.isEmpty()) {
      out.printf(
          Locale.ROOT,
          "errors (%s):%n",
          errors.size() <= ERRORS_SHOWN
              ? Integer.toString(errors.size())
              : "first " + ERRORS_SHOWN + " of " + report.errorCount() + "; --json lists them all");
      for (String e : errors.subList(0, Math.min(ERRORS_SHOWN, errors.size()))) {
        out.println("  " + e);
      }
    }
  }
}
