package io.rge.spark;

import io.rge.core.DeviceChoice;
import io.rge.core.precision.ComputePrecision;
import io.rge.eval.EvalData;
import io.rge.eval.EvalReport;
import io.rge.eval.EvalSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * RGE on Apache Spark: embeddings of a table of any size, and MMEB evaluation sharded over a
 * cluster.
 *
 * <pre>{@code
 * Dataset<Row> corpus = spark.read().parquet("corpus.parquet");        // text, image_path
 * Dataset<Row> embedded =
 *     RgeSpark.embed(corpus, Path.of("/models/RGE"),
 *         SparkEmbedOptions.candidates("text").withImageColumn("image_path"));
 * embedded.write().parquet("corpus-embedded.parquet");                 // + embedding: array<float>
 * }</pre>
 *
 * <p>Each executor JVM loads the model once, on its first task, and keeps it for every later
 * partition, task and job ({@link ExecutorModels}); rows are embedded {@code batchSize} at a time
 * inside each partition. The model folder (and image files) must be readable at the same path on
 * every executor (a shared file system, or copied there). Executors set DJL's offline properties
 * themselves before the engine starts.
 */
public final class RgeSpark {
  private RgeSpark() {}

  /**
   * {@code data} with an {@code embedding} column (array&lt;float&gt;, the model's hidden size)
   * and, with reasoning, a {@code rationale} column; lazy, like every Spark transformation.
   *
   * @throws IllegalArgumentException when a column is missing or of the wrong type, or {@code data}
   *     already has an output column
   * @throws IOException when the model folder is not a model (checked on the driver, fast)
   */
  public static Dataset<Row> embed(Dataset<Row> data, Path modelDir, SparkEmbedOptions options)
      throws IOException {
    ModelKey key = ModelKey.checked(modelDir, options.device(), options.precision());
    StructType schema = data.schema();
    int text = column(schema, options.textColumn(), "text", DataTypes.StringType);
    int image = -1;
    boolean bytes = false;
    if (options.imageColumn() != null) {
      image = column(schema, options.imageColumn(), "image", null);
      DataType type = schema.fields()[image].dataType();
      bytes = type.equals(DataTypes.BinaryType);
      if (!bytes && !type.equals(DataTypes.StringType)) {
        throw new IllegalArgumentException(
            "image column '"
                + options.imageColumn()
                + "' is "
                + type.simpleString()
                + "; expected string (file paths) or binary (encoded images)");
      }
    }
    StructType out =
        schema.add(
            SparkEmbedOptions.EMBEDDING_COLUMN,
            DataTypes.createArrayType(DataTypes.FloatType, false),
            false);
    if (options.reasoning()) {
      out = out.add(SparkEmbedOptions.RATIONALE_COLUMN, DataTypes.StringType, false);
    }
    for (String added : Arrays.copyOfRange(out.fieldNames(), schema.size(), out.size())) {
      if (Arrays.asList(schema.fieldNames()).contains(added)) {
        throw new IllegalArgumentException(
            "the input already has a column '" + added + "'; rename or drop it first");
      }
    }
    return data.mapPartitions(
        new PartitionEmbedder(key, options, text, image, bytes), Encoders.row(out));
  }

  /**
   * Evaluates like {@link io.rge.eval.MmebEvaluator#evaluate}, the embedding sharded over {@code
   * spark}'s executors by dataset, side and block of {@code blockBatches} batches; the scores,
   * reports and caches are the single-machine evaluation's (the driver writes them).
   */
  public static EvalReport evaluate(
      SparkSession spark,
      Path modelDir,
      DeviceChoice device,
      ComputePrecision precision,
      EvalData data,
      EvalSettings settings,
      int blockBatches)
      throws IOException {
    ModelKey key = ModelKey.checked(modelDir, device, precision);
    return new SparkEvaluation(spark, key, blockBatches).evaluate(data, settings);
  }

  private static int column(StructType schema, String name, String what, DataType expected) {
    int index = Arrays.asList(schema.fieldNames()).indexOf(name);
    if (index < 0) {
      throw new IllegalArgumentException(
          what + " column '" + name + "' not found; the columns are " + schema.simpleString());
    }
    StructField field = schema.fields()[index];
    if (expected != null && !field.dataType().equals(expected)) {
      throw new IllegalArgumentException(
          what
              + " column '"
              + name
              + "' is "
              + field.dataType().simpleString()
              + "; expected "
              + expected.simpleString());
    }
    return index;
  }
}
