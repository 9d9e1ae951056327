package io.rge.cli.eval;

import io.rge.cli.DeviceOption;
import io.rge.cli.GenerationOptions;
import io.rge.cli.ImageLimitsOption;
import io.rge.cli.ModelOption;
import io.rge.cli.PrecisionOption;
import io.rge.cli.ReasoningOption;
import io.rge.core.Cosine;
import io.rge.core.LoadOptions;
import io.rge.core.MultimodalInput;
import io.rge.core.NonFinite;
import io.rge.core.QueryEmbedding;
import io.rge.core.RgeModel;
import io.rge.core.generation.GenerationSettings;
import io.rge.core.image.ImageProcessorConfig;
import io.rge.core.qwen25vl.ModelFolderCheck;
import io.rge.data.images.ImageDecoder;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code rge embed}: embeds one query (or a JSON-lines file of them), printing the rationale the
 * model generated and the start and norm of the vector; {@code --out} keeps the vectors as JSON or
 * NumPy's {@code .npy}.
 */
@Command(
    name = "embed",
    mixinStandardHelpOptions = true,
    description =
        "Embed a query (or many) and print the model's rationale and the vector's first values;"
            + " --out keeps the vectors (.json or .npy).",
    sortOptions = false,
    footerHeading = "%nExamples:%n",
    footer = {
      "  scripts/rge embed --model models/MCG-NJU-RGE \\",
      "      --text '<|image_1|> What is in the image?' --image cat.png",
      "  scripts/rge embed --model models/MCG-NJU-RGE --inputs queries.jsonl \\",
      "      --out queries.npy"
    })
public final class EmbedCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Mixin private ModelOption model;

  @Option(
      names = "--text",
      paramLabel = "T",
      description = "Query text; <|image_1|> marks where the image goes (default: first).")
  private String text;

  @Option(names = "--image", paramLabel = "P", description = "An image file for the query.")
  private Path image;

  @Option(
      names = "--inputs",
      paramLabel = "FILE",
      description =
          "Many queries instead of --text: a JSON-lines file of {\"text\": ..., \"image\": ...}"
              + " (image optional, relative to the file's folder).")
  private Path inputs;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description =
          "Keep the vectors: FILE.json (rationales and vectors) or FILE.npy (a float32 [n, dim]"
              + " array for numpy.load), in input order.")
  private Path outFile;

  @Mixin private GenerationOptions generation;

  @Mixin private ReasoningOption reasoningOption;

  @Option(
      names = "--values",
      paramLabel = "N",
      defaultValue = "8",
      description = "How many leading vector values to print (default: ${DEFAULT-VALUE}).")
  private int values;

  @Mixin private ImageLimitsOption imageLimits;

  @Mixin private DeviceOption device;

  @Mixin private PrecisionOption precision;

  @Override
  public Integer call() throws Exception {
    if (values < 0) {
      throw new ParameterException(spec.commandLine(), "--values must be >= 0, got " + values);
    }
    Path model = this.model.folder();
    int maxNewTokens = generation.maxNewTokens();
    int batchSize = generation.batchSize();
    boolean reasoning = reasoningOption.on();
    if ((text == null) == (inputs == null) || (inputs != null && image != null)) {
      throw new ParameterException(
          spec.commandLine(), "give either --text (and --image) or --inputs FILE.jsonl");
    }
    EmbeddingsFile.Format format;
    try {
      format = outFile == null ? null : EmbeddingsFile.formatOf(outFile);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    List<EmbedInputs.Input> queries =
        inputs != null ? EmbedInputs.read(inputs) : List.of(new EmbedInputs.Input(text, image));
    // The processor settings say how far an image will be resized: a huge one is decoded
    // subsampled. One query's image is decoded before the model loads, so a bad one fails fast.
    ModelFolderCheck.check(model);
    ImageDecoder decoder =
        new ImageDecoder(
            imageLimits.limits().resizedTo(ImageProcessorConfig.read(model).decodeTarget()));
    BufferedImage first =
        queries.get(0).image() == null ? null : decoder.decode(queries.get(0).image());
    List<QueryEmbedding> embedded = new ArrayList<>();
    try (RgeModel m =
        RgeModel.load(
            LoadOptions.builder()
                .setModel(model)
                .optDevice(device.value())
                .optPrecision(precision.requested())
                .build())) {
      // A batch's images at a time: a long input file never holds all its images in memory.
      for (int from = 0; from < queries.size(); from += batchSize) {
        List<MultimodalInput> batch = new ArrayList<>();
        for (int i = from; i < Math.min(queries.size(), from + batchSize); i++) {
          EmbedInputs.Input q = queries.get(i);
          BufferedImage picture =
              i == 0 ? first : q.image() == null ? null : decoder.decode(q.image());
          batch.add(new MultimodalInput(q.text(), picture));
        }
        embedded.addAll(
            m.embedQueries(batch, reasoning, GenerationSettings.greedy(maxNewTokens, batchSize)));
      }
    }
    for (int i = 0; i < embedded.size(); i++) {
      float[] vector = embedded.get(i).vector();
      int bad = NonFinite.firstIndex(vector);
      if (bad >= 0) {
        throw new IllegalStateException(
            model
                + ": the model's embedding of query "
                + (i + 1)
                + " holds "
                + NonFinite.describe(vector, bad)
                + "; its weights or settings are broken (nothing was written)");
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    if (embedded.size() == 1) {
      print(out, embedded.get(0), reasoning, maxNewTokens);
    } else {
      for (int i = 0; i < embedded.size(); i++) {
        QueryEmbedding q = embedded.get(i);
        out.printf(
            Locale.ROOT, "%d: %s%n", i + 1, reasoning ? q.rationale().strip() : "(reasoning off)");
      }
    }
    if (format != null) {
      EmbeddingsFile.write(outFile, format, queries, embedded, reasoning);
      out.printf(
          Locale.ROOT,
          "wrote %s (%d × %d float32)%n",
          outFile,
          embedded.size(),
          embedded.get(0).vector().length);
    }
    return 0;
  }

  private void print(PrintWriter out, QueryEmbedding q, boolean reasoning, int maxNewTokens) {
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
