package io.rge.cli.eval;

import io.rge.cli.DeviceConverter;
import io.rge.cli.OnOffConverter;
import io.rge.core.Cosine;
import io.rge.core.DeviceChoice;
import io.rge.core.MultimodalInput;
import io.rge.core.NonFinite;
import io.rge.core.QueryEmbedding;
import io.rge.core.RgeModel;
import io.rge.core.generation.GenerationSettings;
import io.rge.core.image.ImageProcessorConfig;
import io.rge.data.images.ImageDecoder;
import io.rge.data.images.ImageLimits;
import io.rge.eval.Embedder;
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
      names = "--max-image-pixels",
      paramLabel = "N",
      description = "Largest width x height of the image (default: ${DEFAULT-VALUE}, as PIL).")
  private long maxImagePixels = ImageLimits.DEFAULT_MAX_PIXELS;

  @Option(
      names = "--device",
      paramLabel = "cpu|gpu|auto",
      converter = DeviceConverter.class,
      defaultValue = "auto",
      description = "Where the model runs (default: ${DEFAULT-VALUE}).")
  private DeviceChoice device;

  @Override
  public Integer call() throws Exception {
    if (maxNewTokens < 0 || values < 0 || maxImagePixels < 1) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          "--max-new-tokens and --values must be >= 0, --max-image-pixels >= 1");
    }
    // Decoded before the model loads, so a bad image fails fast; the processor settings say how
    // far it will be resized (a huge image is decoded subsampled).
    BufferedImage picture = null;
    if (image != null) {
      ImageLimits limits =
          ImageSizes.limits(new ImageLimits(maxImagePixels), ImageProcessorConfig.read(model));
      picture = new ImageDecoder(limits).decode(image);
    }
    try (RgeModel m = RgeModel.load(model, device)) {
      QueryEmbedding q =
          Embedder.of(m)
              .embedQueries(
                  List.of(new MultimodalInput(text, picture)),
                  reasoning,
                  GenerationSettings.greedy(maxNewTokens, 1))
              .get(0);
      int bad = NonFinite.firstIndex(q.vector());
      if (bad >= 0) {
        throw new IllegalStateException(
            model
                + ": the model's embedding holds "
                + NonFinite.describe(q.vector(), bad)
                + "; its weights or settings are broken (nothing was printed)");
      }
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
    out.printf(Locale.ROOT, "vector:    %d values, norm %.6f%n", v.length, Cosine.norm(v));
    StringBuilder first = new StringBuilder("first:     [");
    for (int i = 0; i < Math.min(values, v.length); i++) {
      first.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.6f", v[i]));
    }
    out.println(first.append(v.length > values ? ", ...]" : "]"));
  }
}
