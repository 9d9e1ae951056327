package io.rge.training.metrics;

import io.rge.core.files.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The loss curves of a run (total, LM, contrastive against the step) as a PNG. */
public final class LossPlot {
  private static final int WIDTH = 900;
  private static final int HEIGHT = 520;

  private LossPlot() {}

  /**
   * Draws the non-skipped steps of {@code history} into {@code file} (written to a temporary file
   * and renamed); a series with no values (LM in baseline mode) is left out.
   */
  public static void write(Path file, List<StepMetrics> history, String title) throws IOException {
    XYChart chart =
        new XYChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title(title)
            .xAxisTitle("step")
            .yAxisTitle("loss")
            .build();
    chart.getStyler().setMarkerSize(0);
    int series =
        addSeries(chart, "total", history, StepMetrics::total)
            + addSeries(chart, "lm", history, StepMetrics::lm)
            + addSeries(chart, "contrastive", history, StepMetrics::contrastive);
    if (series == 0) {
      chart.addSeries("no finite losses", new double[] {0}, new double[] {0});
    }
    AtomicFiles.write(file, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
  }

  private static int addSeries(
      XYChart chart, String name, List<StepMetrics> history, Function<StepMetrics, Double> value) {
    List<Double> xs = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    for (StepMetrics m : history) {
      Double y = value.apply(m);
      if (!m.skipped() && y != null) {
        xs.add((double) m.step());
        ys.add(y);
      }
    }
    if (xs.isEmpty()) {
      return 0;
    }
    chart.addSeries(name, xs, ys).setMarker(SeriesMarkers.NONE);
    return 1;
  }
}
