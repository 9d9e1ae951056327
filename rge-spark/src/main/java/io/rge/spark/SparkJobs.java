package io.rge.spark;

import io.rge.core.DeviceChoice;
import io.rge.core.precision.ComputePrecision;
import io.rge.eval.EvalData;
import io.rge.eval.EvalReport;
import io.rge.eval.EvalSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.UUID;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whole jobs for the command line ({@code rge spark-embed}, {@code rge spark-eval}): each opens its
 * Spark session, runs and stops it. Their signatures hold no Spark type, so that the command
 * classes that call them load without Spark on the class path (only these commands need it).
 */
public final class SparkJobs {
  private static final Logger LOG = LoggerFactory.getLogger(SparkJobs.class);

  private SparkJobs() {}

  /**
   * Embeds the rows of the parquet file or folder {@code input} into the parquet folder {@code
   * output} (every input column, then {@code embedding}, and {@code rationale} with reasoning).
   * Spark writes to a temporary folder beside {@code output}, renamed to it once complete: {@code
   * output} is either complete or absent (on HDFS or a local disk; object stores do not rename
   * atomically).
   *
   * @param master a Spark master URL such as {@code local[2]}, or null for the one {@code
   *     spark-submit} configured
   * @param partitions how many partitions to embed in (tasks), or 0 to keep the input's
   * @return the rows written
   * @throws IllegalArgumentException when {@code output} exists or a column is wrong
   */
  public static long embedParquet(
      String master,
      String input,
      String output,
      Path modelDir,
      SparkEmbedOptions options,
      int partitions)
      throws IOException {
    SparkSession spark = session(master, "rge spark-embed");
    try {
      org.apache.hadoop.fs.Path out = new org.apache.hadoop.fs.Path(output);
      FileSystem fs = out.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (fs.exists(out)) {
        throw new IllegalArgumentException(
            output + " exists; remove it or choose another output (it is never overwritten)");
      }
      Dataset<Row> rows = spark.read().parquet(input);
      if (partitions > 0) {
        rows = rows.repartition(partitions);
      }
      Dataset<Row> embedded = RgeSpark.embed(rows, modelDir, options);
      org.apache.hadoop.fs.Path tmp =
          new org.apache.hadoop.fs.Path(
              out.getParent(), "." + out.getName() + ".tmp-" + UUID.randomUUID());
      try {
        embedded.write().parquet(tmp.toString());
        if (!fs.rename(tmp, out)) {
          throw new IOException("cannot rename " + tmp + " to " + output);
        }
      } finally {
        if (fs.exists(tmp)) {
          fs.delete(tmp, true);
        }
      }
      long written = spark.read().parquet(output).count();
      LOG.info("wrote {} rows to {}", written, output);
      return written;
    } finally {
      spark.stop();
    }
  }

  /**
   * {@link RgeSpark#evaluate} in a session of its own.
   *
   * @param master a Spark master URL, or null for the one {@code spark-submit} configured
   */
  public static EvalReport evaluate(
      String master,
      Path modelDir,
      DeviceChoice device,
      ComputePrecision precision,
      EvalData data,
      EvalSettings settings,
      int blockBatches)
      throws IOException {
    SparkSession spark = session(master, "rge spark-eval");
    try {
      return RgeSpark.evaluate(spark, modelDir, device, precision, data, settings, blockBatches);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    } finally {
      spark.stop();
    }
  }

  /**
   * A session on {@code master} (null: the one spark-submit configured, else {@code local[*]}, the
   * cores of this machine). Executors get {@code OPT_OUT_TRACKING=true} in their environment unless
   * the configuration sets it; they set DJL's offline properties themselves.
   */
  static SparkSession session(String master, String app) {
    SparkConf conf = new SparkConf().setAppName(app);
    if (master != null) {
      conf.setMaster(master);
    } else if (!conf.contains("spark.master")) {
      conf.setMaster("local[*]");
    }
    if (!conf.contains("spark.executorEnv.OPT_OUT_TRACKING")) {
      conf.setExecutorEnv("OPT_OUT_TRACKING", "true");
    }
    return SparkSession.builder().config(conf).getOrCreate();
  }
}
