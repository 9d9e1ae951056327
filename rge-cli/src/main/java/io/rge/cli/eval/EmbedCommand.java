package io.rge.cli.eval;

import io.rge.cli.DeviceConverter;
import io.rge.cli.OnOffConverter;
import io.rge.core.DeviceChoice;
import io.rge.core.MultimodalInput;
import io.rge.core.QueryEmbedding;
import io.rge.core.RgeModel;
import io.rge.core.image.ImageFiles;
import io.rge.eval.Embedder;
import io.rge.eval.score.CosineScores;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rge embed}: embeds one query, printing the rationale the model generated and the start and
 * norm of the vector.
 */
@Command(
    name = "embed",
    mixinStandardHelpOptions = true,
    description = "Embed one query and print the model's rationale and the vector's first values.",
    sortOptions = false)
public final class EmbedCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(names = "--model", paramLabel = "DIR", required = true, description = "Model folder.")
  private Path model;

  @Option(
      names = "--text",
      paramLabel = "T",
      required = true,
      description = "Query text; <|image_1|> marks where the image goes (default: first).")
  private String text;

  @Option(names = "--image", paramLabel = "P", description = "An image file for the query.")
  private Path image;

  @Option(
      names = "--reasoning",
      arity = "1",
      paramLabel = "on|off",
      converter = OnOffConverter.class,
      defaultValue = "on",
      description = "Generate a rationale first (default: ${DEFAULT-VALUE}).")
  private boolean reasoning;

  @Option(
      names = "--max-new-tokens",
      paramLabel = "N",
      defaultValue = "128",
      description = "Rationale token limit (default: ${DEFAULT-VALUE}).")
  private int maxNewTokens;

  @Option(
      names = "--values",
      paramLabel = "N",
      defaultValue = "8",
      description = "How many leading vector values to print (default: ${DEFAULT-VALUE}).")
  private int values;

  @Option(
      names = "--device",
      paramLabel = "cpu|gpu|auto",
      converter = DeviceConverter.class,
      defaultValue = "auto",
      description = "Where the model runs (default: ${DEFAULT-VALUE}).")
  private DeviceChoice device;

  @picocli.CommandLine.Mixin private io.rge.cli.PrecisionOption precision;

  @Override
  public Integer call() throws Exception {
    if (maxNewTokens < 0 || values < 0) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--max-new-tokens and --values must be >= 0");
    }
    BufferedImage picture =
        image == null ? null : ImageFiles.read(image, ImageFiles.DEFAULT_MAX_PIXELS);
    try (RgeModel m =
        RgeModel.load(
            model, device, io.rge.core.qwen25vl.ImagePositions.GRID, precision.requested())) {
      QueryEmbedding q =
          Embedder.of(m)
              .embedQueries(List.of(new MultimodalInput(text, picture)), reasoning, maxNewTokens, 1)
              .get(0);
      print(spec.commandLine().getOut(), q);
    }
    return 0;
  }

  private void print(PrintWriter out, QueryEmbedding q) {
    if (reasoning) {
      out.println("rationale: " + q.rationale());
      out.printf(
          "           (%d tokens%s)%n",
          q.rationaleTokens().length,
          q.embAppended() ? "; <emb> appended at the limit of " + maxNewTokens : "");
    } else {
      out.println("rationale: (reasoning off)");
    }
    float[] v = q.vector();
    out.printf(Locale.ROOT, "vector:    %d values, norm %.6f%n", v.length, CosineScores.norm(v));
    StringBuilder first = new StringBuilder("first:     [");
    for (int i = 0; i < Math.min(values, v.length); i++) {
      first.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.6f", v[i]));
    }
    out.println(first.append(v.length > values ? ", ...]" : "]"));
  }
}
