package io.rge.eval.report;

import io.rge.core.files.AtomicFiles;
import io.rge.data.registry.MetaTask;
import io.rge.eval.score.DatasetScore;
import io.rge.eval.score.Scores;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * A bar chart of per-dataset Precision@1, one fixed colour per meta-task, written as PNG. Every
 * dataset name is printed (the chart widens with the datasets) and the legend sits below the plot,
 * where it covers no bar.
 */
public final class ScoreChart {
  /** One colour per meta-task, the same in every chart. */
  static final Map<MetaTask, Color> COLOURS =
      Map.of(
          MetaTask.CLASSIFICATION, new Color(0x1f, 0x77, 0xb4),
          MetaTask.VQA, new Color(0xd6, 0x60, 0x1a),
          MetaTask.RETRIEVAL, new Color(0x2c, 0xa0, 0x2c),
          MetaTask.VISUAL_GROUNDING, new Color(0x94, 0x67, 0xbd));

  private ScoreChart() {}

  /** Writes the chart to {@code file} (atomically); does nothing when no dataset was scored. */
  public static boolean write(Path file, Scores scores, String title) throws IOException {
    List<DatasetScore> scored = scores.datasets().stream().filter(DatasetScore::scored).toList();
    if (scored.isEmpty()) {
      return false;
    }
    int width = Math.max(640, 120 + 30 * scored.size());
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
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    // XChart drops category labels it thinks crowded; one label per bar is what a reader needs.
    chart.getStyler().setXAxisTickMarkSpacingHint(1);
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
        chart.addSeries(task.label(), names, values).setFillColor(COLOURS.get(task));
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
