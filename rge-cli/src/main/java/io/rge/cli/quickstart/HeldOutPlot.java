package io.rge.cli.quickstart;

import io.rge.core.files.AtomicFiles;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The variants' held-out overall P@1 against the checkpoint step, one line per mode (the mean over
 * seeds at each step), drawn as a paper figure with one fixed colour per mode. The quickstart
 * evaluates held-out compositions on the chosen and the last checkpoint only, so a line has one or
 * two points.
 */
final class HeldOutPlot {
  static final String FILE = "heldout-p1.png";
  static final int WIDTH = 900;
  static final int HEIGHT = 520;

  /** The colour of each of the three modes, the same in every plot. */
  static final Map<String, Color> COLOURS =
      Map.of(
          Variant.RGE.id(), new Color(0x1f, 0x77, 0xb4),
          Variant.BASELINE.id(), new Color(0x33, 0x33, 0x33),
          Variant.ORACLE_LEAK.id(), new Color(0xd6, 0x60, 0x1a));

  /** Colours of the ablation rows, in their order. */
  private static final List<Color> ABLATION_COLOURS =
      List.of(
          new Color(0x2c, 0xa0, 0x2c),
          new Color(0x94, 0x67, 0xbd),
          new Color(0x8c, 0x56, 0x4b),
          new Color(0xe3, 0x77, 0xc2),
          new Color(0x17, 0xbe, 0xcf),
          new Color(0xbc, 0xbd, 0x22));

  private HeldOutPlot() {}

  /**
   * Draws {@code scores} (seed → variant id → scores) of {@code variants} into {@code file},
   * written to a temporary file and renamed; steps without a finite score are left out.
   */
  static void write(Path file, Map<Long, Map<String, ModeScores>> scores, List<Variant> variants)
      throws IOException {
    XYChart chart =
        new XYChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title("Held-out compositions: overall P@1 per checkpoint")
            .xAxisTitle("checkpoint (optimizer step)")
            .yAxisTitle("P@1 (%)" + (scores.size() > 1 ? ", mean over seeds" : ""))
            .build();
    chart.getStyler().setMarkerSize(8);
    chart.getStyler().setXAxisDecimalPattern("0");
    chart.getStyler().setYAxisDecimalPattern("0");
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setYAxisMax(100.0);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setPlotGridLinesColor(new Color(0xe5, 0xe5, 0xe5));
    int series = 0;
    int ablation = 0;
    for (Variant mode : variants) {
      Color colour = COLOURS.get(mode.id());
      if (colour == null) {
        colour = ABLATION_COLOURS.get(ablation++ % ABLATION_COLOURS.size());
      }
      TreeMap<Long, double[]> byStep = meansByStep(scores, mode.id());
      if (byStep.isEmpty()) {
        continue;
      }
      List<Double> xs = new ArrayList<>();
      List<Double> ys = new ArrayList<>();
      byStep.forEach(
          (step, sumCount) -> {
            xs.add((double) step);
            ys.add(sumCount[0] / sumCount[1]);
          });
      XYSeries line = chart.addSeries(mode.label(), xs, ys);
      line.setMarker(SeriesMarkers.CIRCLE);
      line.setMarkerColor(colour);
      line.setLineColor(colour);
      line.setLineWidth(1.5f);
      series++;
    }
    if (series == 0) {
      chart.addSeries("no held-out scores", new double[] {0}, new double[] {0});
    }
    AtomicFiles.write(file, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
  }

  /** Step → {sum, count} of the mode's finite held-out overall scores over seeds. */
  private static TreeMap<Long, double[]> meansByStep(
      Map<Long, Map<String, ModeScores>> scores, String mode) {
    TreeMap<Long, double[]> byStep = new TreeMap<>();
    for (Map<String, ModeScores> bySeed : scores.values()) {
      ModeScores s = bySeed.get(mode);
      if (s == null) {
        continue;
      }
      // The chosen checkpoint may be the last one: count it once per seed.
      Map<Long, Double> seedPoints = new TreeMap<>();
      seedPoints.put(s.selected().step(), s.selected().overall());
      seedPoints.put(s.last().step(), s.last().overall());
      seedPoints.forEach(
          (step, value) -> {
            if (Double.isFinite(value)) {
              double[] sumCount = byStep.computeIfAbsent(step, k -> new double[2]);
              sumCount[0] += value;
              sumCount[1]++;
            }
          });
    }
    return byStep;
  }
}
