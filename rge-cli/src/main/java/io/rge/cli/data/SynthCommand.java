package io.rge.cli.data;

import io.rge.cli.ProgressOption;
import io.rge.data.RgeDataException;
import io.rge.data.synth.RgeSynth;
import io.rge.data.synth.SynthLayout;
import io.rge.data.synth.SynthManifest;
import io.rge.data.synth.SynthSize;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code rge data synth --out DIR [--seed N] [--size S] [--force]}: writes RGE-Synth and prints a
 * one-line summary (the details are in its synth.json).
 */
@Command(
    name = "synth",
    description = {
      "Generate RGE-Synth (synthetic reasoning data in MMEB-train/MMEB-eval format) into DIR.",
      "Refuses a non-empty DIR unless --force."
    },
    mixinStandardHelpOptions = true,
    footerHeading = "%nExamples:%n",
    footer = {
      "  scripts/rge data synth --out data/rge-synth --size small",
      "  scripts/rge data synth --out data/rge-synth-medium --size medium --seed 1"
    })
public final class SynthCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
  private Path out;

  @Option(
      names = "--seed",
      paramLabel = "N",
      description = "Root seed (default: ${DEFAULT-VALUE}).")
  private long seed = 0;

  @Option(
      names = "--size",
      paramLabel = "S",
      converter = SizeConverter.class,
      defaultValue = "small",
      description = "Preset: tiny, small or medium (default: ${DEFAULT-VALUE}).")
  private SynthSize size;

  @Option(names = "--force", description = "Replace a non-empty output folder.")
  private boolean force;

  // Generation takes seconds and reports no progress; accepted so that scripts can pass it.
  @Mixin private ProgressOption progress;

  @Override
  public Integer call() throws IOException {
    long start = System.nanoTime();
    SynthManifest manifest;
    try {
      manifest = RgeSynth.generate(out, seed, size, force);
    } catch (RgeDataException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return 1;
    }
    long train = 0;
    long eval = 0;
    long evalSeen = 0;
    int tasks = 0;
    for (SynthManifest.Entry entry : manifest.datasets()) {
      train += entry.trainRows();
      eval += entry.evalRows();
      evalSeen += entry.evalSeenRows();
      tasks += entry.metaTask() == null ? 0 : 1;
    }
    PrintWriter writer = spec.commandLine().getOut();
    writer.printf(
        Locale.ROOT,
        "wrote RGE-Synth (seed %d) to %s in %.1f s: %d subsets (%d tasks), %d training rows,"
            + " %d held-out and %d seen evaluation rows; details in %s%n",
        manifest.seed(),
        out.toAbsolutePath(),
        (System.nanoTime() - start) / 1e9,
        manifest.datasets().size(),
        tasks,
        train,
        eval,
        evalSeen,
        new SynthLayout(out).manifest().getFileName());
    writer.flush();
    return 0;
  }

  /** Turns a preset name into a {@link SynthSize}. */
  static final class SizeConverter implements ITypeConverter<SynthSize> {
    @Override
    public SynthSize convert(String value) {
      try {
        return SynthSize.preset(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
