package io.rge.eval.report;

import io.rge.core.files.AtomicFiles;
import io.rge.data.registry.MetaTask;
import io.rge.eval.score.DatasetScore;
import io.rge.eval.score.Scores;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/** A bar chart of per-dataset Precision@1, one colour per meta-task, written as PNG. */
public final class ScoreChart {
  private ScoreChart() {}

  /** Writes the chart to {@code file} (atomically); does nothing when no dataset was scored. */
  public static boolean write(Path file, Scores scores, String title) throws IOException {
    List<DatasetScore> scored = scores.datasets().stream().filter(DatasetScore::scored).toList();
    if (scored.isEmpty()) {
      return false;
    }
    int width = Math.max(640, 40 + 28 * scored.size());
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(width)
            .height(560)
            .title(title)
            .yAxisTitle("Precision@1 (%)")
            .build();
    chart.getStyler().setOverlapped(true);
    chart.getStyler().setXAxisLabelRotation(90);
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setYAxisMax(100.0);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
    chart.getStyler().setYAxisDecimalPattern("0");
    List<String> names = scored.stream().map(DatasetScore::name).toList();
    // One series per meta-task over all datasets (0 elsewhere), overlapped: bars keep dataset order
    // and take their meta-task's colour.
    for (MetaTask task : MetaTask.values()) {
      List<Double> values = new ArrayList<>();
      boolean any = false;
      for (DatasetScore s : scored) {
        boolean member = s.metaTask() == task;
        any |= member;
        values.add(member ? s.precisionAt1() : 0.0);
      }
      if (any) {
        chart.addSeries(task.label(), names, values);
      }
    }
    AtomicFiles.write(
        file,
        out -> {
          if (!ImageIO.write(BitmapEncoder.getBufferedImage(chart), "png", out)) {
            throw new IOException("no PNG writer in this JVM");
          }
        });
    return true;
  }
}
