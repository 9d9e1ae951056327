package io.rge.benchmarks;

import io.rge.core.DeviceChoice;
import io.rge.core.DjlEngine;
import io.rge.core.MultimodalInput;
import io.rge.core.RgeModel;
import io.rge.data.images.ImageDecoder;
import io.rge.data.images.ImageLimits;
import io.rge.spark.RgeSpark;
import io.rge.spark.SparkEmbedOptions;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@link RgeSpark#embed} against the single-machine embedder: rows per second of the same
 * candidates (half text, half a 56 x 56 PNG in a binary column, decoded in both paths) embedded by
 * {@link RgeModel#embedCandidates} in this JVM, and by Spark in local[1] and local[2] (two
 * partitions each); then the local[2] / local[1] ratio and Spark's overhead per row against the
 * single-machine path. Rounds interleave the three; warm-ups are never timed.
 *
 * <p>Run from the repository root with Spark on the class path and its JVM options
 * (scripts/spark-java-options), see README "Scaling out": {@code java ... SparkEmbedBench
 * [MODEL_DIR] [rows] [batch] [rounds]}; default the tiny fixture model, 512 rows, batch 16, 3
 * rounds.
 */
public final class SparkEmbedBench {
  private SparkEmbedBench() {}

  public static void main(String[] args) throws IOException {
    DjlEngine.prepareOffline(); // before Spark's driver (in this JVM) or a model starts DJL
    Path model =
        Path.of(
            args.length > 0
                ? args[0]
                : "rge-test-fixtures/src/main/resources/fixtures/qwen25vl-tiny");
    int rows = args.length > 1 ? Integer.parseInt(args[1]) : 512;
    int batch = args.length > 2 ? Integer.parseInt(args[2]) : 16;
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    List<Row> table = table(rows);
    System.out.printf(
        Locale.ROOT,
        "model %s, %d rows (half with a 56x56 PNG), batch %d, %d rounds after a warm-up, %d cores%n",
        model,
        rows,
        batch,
        rounds,
        Runtime.getRuntime().availableProcessors());

    // Rounds interleave the three ways (single machine, local[1], local[2]) so that load from
    // other processes on a shared machine falls on each alike; each Spark round has its own
    // session and an untimed warm-up job (the executors' model stays loaded across sessions).
    double[] single = new double[rounds];
    double[] one = new double[rounds];
    double[] two = new double[rounds];
    try (RgeModel m = RgeModel.load(model, DeviceChoice.CPU)) {
      ImageDecoder decoder = new ImageDecoder(ImageLimits.defaults());
      Runnable embed =
          () -> {
            List<MultimodalInput> inputs = new ArrayList<>(rows);
            for (Row r : table) {
              byte[] png = (byte[]) r.get(2);
              inputs.add(
                  new MultimodalInput(
                      r.getString(1),
                      png == null ? null : decoder.decode(new ByteArrayInputStream(png), "image")));
            }
            m.embedCandidates(inputs, batch);
          };
      embed.run(); // warm-up
      for (int r = 0; r < rounds; r++) {
        single[r] = time(embed);
        one[r] = spark("local[1]", model, table, batch);
        two[r] = spark("local[2]", model, table, batch);
        System.out.printf(
            Locale.ROOT,
            "round %d: single %.2f s, local[1] %.2f s, local[2] %.2f s%n",
            r + 1,
            single[r],
            one[r],
            two[r]);
      }
    }
    report("single machine (RgeModel)", rows, single);
    report("Spark local[1]", rows, one);
    report("Spark local[2]", rows, two);
    System.out.printf(
        Locale.ROOT,
        "local[2] / local[1] throughput ratio %.2f; Spark overhead per row vs single machine:"
            + " local[1] %.2f ms, local[2] %.2f ms%n",
        median(one) / median(two),
        (median(one) - median(single)) / rows * 1e3,
        (median(two) - median(single)) / rows * 1e3);
  }

  /** Seconds of one timed embedding job on {@code master}, after an untimed one. */
  private static double spark(String master, Path model, List<Row> table, int batch) {
    SparkSession spark =
        SparkSession.builder()
            .master(master)
            .appName("SparkEmbedBench")
            .config("spark.ui.enabled", "false")
            .getOrCreate();
    try {
      StructType schema =
          new StructType()
              .add("id", DataTypes.IntegerType, false)
              .add("text", DataTypes.StringType, false)
              .add("image", DataTypes.BinaryType, true);
      Dataset<Row> rows = spark.createDataFrame(table, schema).repartition(2).cache();
      rows.count();
      Dataset<Row> embedded =
          RgeSpark.embed(
              rows,
              model,
              SparkEmbedOptions.candidates("text")
                  .withImageColumn("image")
                  .withBatchSize(batch)
                  .withDevice(DeviceChoice.CPU));
      // The "noop" sink runs the whole plan and writes nothing.
      Runnable job = () -> embedded.write().format("noop").mode("overwrite").save();
      job.run();
      return time(job);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      spark.stop();
    }
  }

  private static List<Row> table(int n) {
    List<Row> rows = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      rows.add(
          i % 2 == 0
              ? RowFactory.create(i, "a red circle number " + i + " on the left of a square", null)
              : RowFactory.create(i, "<|image_1|> Represent the given image. " + i, png(i, n)));
    }
    return rows;
  }

  private static byte[] png(int i, int n) {
    BufferedImage image = new BufferedImage(56, 56, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.getHSBColor(i / (float) n, 0.8f, 0.9f));
    g.fillRect(0, 0, 56, 56);
    g.dispose();
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(image, "png", out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static double time(Runnable work) {
    long start = System.nanoTime();
    work.run();
    return (System.nanoTime() - start) / 1e9;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static void report(String label, int rows, double[] seconds) {
    double[] sorted = seconds.clone();
    Arrays.sort(sorted);
    System.out.printf(
        Locale.ROOT,
        "%-28s median %8.1f rows/s  (%.2f s; min %.2f s, max %.2f s)%n",
        label,
        rows / median(seconds),
        median(seconds),
        sorted[0],
        sorted[sorted.length - 1]);
  }
}
