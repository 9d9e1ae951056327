package io.rge.cli.quickstart;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rge.cli.train.Train;
import io.rge.core.progress.ProgressListener;
import io.rge.data.synth.RationaleStyle;
import io.rge.data.synth.RgeSynth;
import io.rge.data.synth.SynthLayout;
import io.rge.data.synth.SynthSize;
import io.rge.training.Trainer;
import io.rge.training.checkpoint.CheckpointManifest;
import io.rge.training.checkpoint.CheckpointStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the quickstart: RGE-Synth per seed, the three training modes and their evaluation as child
 * processes (two at a time on two cores), then the comparison report. Work already done in the
 * output folder (data, finished runs, evaluations) is reused; {@code fresh} starts over.
 */
public final class Quickstart {
  private static final Logger LOG = LoggerFactory.getLogger(Quickstart.class);

  /** Progress units an evaluation job counts for (about the time of this many training steps). */
  private static final int EVAL_UNITS = 60;

  private static final String PRETRAIN_JOB = "pretraining";

  private final QuickstartPlan plan;
  private final QuickstartLayout layout;

  private final ProgressListener progress;

  public Quickstart(QuickstartPlan plan, Path out, ProgressListener progress) {
    this.plan = plan;
    this.layout = new QuickstartLayout(out.toAbsolutePath().normalize());
    this.progress = progress;
  }

  /** Runs what is not done yet and writes the report; returns it. */
  public QuickstartResult run(boolean fresh) throws IOException, InterruptedException {
    long start = System.nanoTime();
    prepareFolder(fresh);
    List<String> reused = new ArrayList<>();
    for (long seed : plan.seeds()) {
      RationaleStyle style =
          plan.answerFirst() ? RationaleStyle.ANSWER_FIRST : RationaleStyle.STANDARD;
      if (!generateSynth(layout.synth(seed), seed, plan.synthSize(), style)) {
        reused.add("RGE-Synth seed " + seed);
      }
    }
    List<Job> jobs = new ArrayList<>(pretrainJob(reused));
    // Every run that trains waits for the pretraining, when there is one still to run.
    List<String> pretrained = jobs.stream().map(Job::name).toList();
    for (long seed : plan.seeds()) {
      jobs.addAll(jobsFor(seed, reused, pretrained));
    }
    if (!reused.isEmpty()) {
      LOG.info(
          "reusing what {} already holds (--fresh starts over): {}",
          layout.out(),
          String.join(", ", reused));
    }
    if (jobs.isEmpty()) {
      LOG.info("nothing left to run: writing the report from the finished evaluations");
    } else {
      try (ProgressListener.Task bar =
          progress.start("quickstart", "units", totalUnits(), doneUnits(stepCounts()))) {
        Phase[] phase = {null};
        new JobRunner(new ChildJvm("3g"), plan.jobs())
            .run(
                jobs,
                () -> {
                  StepCounts steps = stepCounts();
                  bar.stepTo(doneUnits(steps));
                  Phase now =
                      !pretrainingDone(steps)
                          ? Phase.PRETRAINING
                          : trainingDone(steps) ? Phase.EVALUATION : Phase.TRAINING;
                  if (now != phase[0] && now == Phase.EVALUATION) {
                    LOG.info("training finished; evaluating the checkpoints");
                  }
                  phase[0] = now;
                  bar.status(status(steps, now));
                });
        bar.stepTo(totalUnits());
      }
    }
    for (long seed : plan.seeds()) {
      for (Variant v : plan.variants()) {
        Path plot = layout.run(seed, v).resolve(Trainer.PLOT);
        if (v.trains() && Files.exists(plot)) {
          Files.copy(
              plot,
              layout.out().resolve(QuickstartReport.lossPlotName(seed, v.id())),
              StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    QuickstartReport report = QuickstartReport.collect(plan, layout, seconds);
    report.write(layout.out());
    BaselineComparison comparison = report.comparison();
    return new QuickstartResult(
        report.table(),
        comparison.heldOutGain(),
        comparison.seenDifference(),
        comparison.baseline().label(),
        report.examples(),
        layout.out().resolve(QuickstartReport.FILE));
  }

  private enum Phase {
    PRETRAINING,
    TRAINING,
    EVALUATION
  }

  /**
   * The {@link Pretraining} run, shared by every seed: its data generated and its config written
   * here, its training as a job; none when the plan has no pretraining or its checkpoint exists.
   */
  private List<Job> pretrainJob(List<String> reused) throws IOException {
    Pretraining p = plan.pretraining();
    if (p == null) {
      return List.of();
    }
    Path synth = layout.pretrainSynth();
    generateSynth(synth, Pretraining.SEED, p.synthSize(), RationaleStyle.STANDARD);
    Path run = layout.pretrain();
    if (hasCheckpoint(run, p.steps())) {
      reused.add("the pretraining");
      return List.of();
    }
    Files.createDirectories(run);
    Path config = run.resolve("train.yaml");
    if (!Files.exists(config)) {
      Files.writeString(
          config, TrainRecipe.pretraining(plan, p, run, synth), StandardCharsets.UTF_8);
    }
    return List.of(train(PRETRAIN_JOB, run, p.steps(), List.of(), null));
  }

  /** Generates RGE-Synth into {@code synth} unless a finished one is there; true if it did. */
  private static boolean generateSynth(Path synth, long seed, String size, RationaleStyle style) {
    if (Files.isRegularFile(new SynthLayout(synth).manifest())) {
      return false;
    }
    LOG.info("generating RGE-Synth ({}, seed {}) into {}", size, seed, synth);
    RgeSynth.generate(synth, seed, SynthSize.preset(size), style, true);
    return true;
  }

  private List<Job> jobsFor(long seed, List<String> reused, List<String> pretrained)
      throws IOException {
    Path synth = layout.synth(seed);
    Path start = plan.pretraining() == null ? null : layout.pretrainedModel(plan.pretraining());
    Path rge = layout.run(seed, Variant.RGE);
    Path warmupCopy = layout.warmup(seed);
    for (Variant v : plan.variants()) {
      Path dir = layout.run(seed, v);
      Files.createDirectories(dir);
      Path config = dir.resolve("train.yaml");
      if (v.trains() && !Files.exists(config)) {
        Files.writeString(
            config, TrainRecipe.yaml(plan, seed, v, dir, synth, start), StandardCharsets.UTF_8);
      }
    }
    String s = "seed " + seed + " ";
    List<Job> jobs = new ArrayList<>();
    String warmup = s + "warm-up";
    int warmupSteps = plan.warmupSteps();
    boolean shared = warmupSteps > 0;
    // The warm-up runs in the rge folder; before rge trains on (and prunes that checkpoint), a copy
    // is kept in warm-up/, from which every run that continues from the warm-up starts.
    if (shared && latestStep(rge) < warmupSteps && !hasCheckpoint(warmupCopy, warmupSteps)) {
      jobs.add(train(warmup, rge, warmupSteps, pretrained, null));
    }
    List<String> afterWarmup = jobs.isEmpty() ? pretrained : List.of(warmup);
    for (Variant v : plan.variants()) {
      if (!v.trains()) {
        continue;
      }
      Path dir = layout.run(seed, v);
      if (finished(dir)) {
        reused.add(s + v.id() + " trained");
        continue;
      }
      boolean warm = shared && (v == Variant.RGE || v.fromWarmup());
      Runnable before =
          !warm
              ? null
              : () -> {
                keepWarmup(rge, warmupCopy, warmupSteps);
                if (v.fromWarmup()) {
                  shareWarmup(warmupCopy, dir, warmupSteps);
                }
              };
      jobs.add(train(s + v.id(), dir, null, warm ? afterWarmup : pretrained, before));
    }
    for (Variant v : plan.variants()) {
      Path dir = layout.run(seed, v);
      Path source = layout.checkpointsOf(seed, v);
      if (Files.exists(dir.resolve(ModeScores.FILE))
          && Files.exists(finalCheckpoint(source))
          && Files.getLastModifiedTime(dir.resolve(ModeScores.FILE))
                  .compareTo(Files.getLastModifiedTime(finalCheckpoint(source)))
              > 0) {
        reused.add(s + v.id() + " evaluated");
        continue;
      }
      String trainJob = s + source.getFileName();
      List<String> deps =
          jobs.stream().anyMatch(j -> j.name().equals(trainJob)) ? List.of(trainJob) : List.of();
      List<String> args =
          new ArrayList<>(
              List.of(
                  "--run", dir.toString(),
                  "--checkpoints", source.resolve(Trainer.CHECKPOINTS).toString(),
                  "--synth", synth.toString(),
                  "--mode", v.mode().id(),
                  "--seed", Long.toString(seed),
                  "--max-new-tokens", Integer.toString(plan.maxNewTokens())));
      if (!v.reasoning()) {
        args.add("--no-reasoning");
      }
      jobs.add(
          new Job(
              s + v.id() + " eval",
              QuickstartEvalJob.class.getName(),
              args,
              log(s + v.id() + " eval"),
              deps,
              null));
    }
    return jobs;
  }

  private Job train(String name, Path dir, Integer stopAfter, List<String> deps, Runnable before) {
    List<String> args = new ArrayList<>(List.of("--config", dir.resolve("train.yaml").toString()));
    if (stopAfter != null) {
      args.add("--stop-after");
      args.add(stopAfter.toString());
    }
    return new Job(name, Train.class.getName(), args, log(name), deps, before);
  }

  private Path log(String job) {
    return layout.logs().resolve(job.replace(' ', '-') + ".log");
  }

  private boolean finished(Path run) {
    return hasCheckpoint(run, plan.totalSteps());
  }

  private static boolean hasCheckpoint(Path run, int step) {
    return Files.isRegularFile(checkpoint(run, step).resolve(CheckpointManifest.FILE_NAME));
  }

  private static Path checkpoint(Path run, long step) {
    return checkpoints(run).folderFor(step);
  }

  private static CheckpointStore checkpoints(Path run) {
    return new CheckpointStore(run.resolve(Trainer.CHECKPOINTS));
  }

  /** The step of a run's newest checkpoint folder; 0 when it has none. */
  private static long latestStep(Path run) throws IOException {
    List<Path> all = checkpoints(run).list();
    return all.isEmpty() ? 0 : CheckpointStore.stepOf(all.get(0));
  }

  private Path finalCheckpoint(Path run) {
    return checkpoint(run, plan.totalSteps());
  }

  /** Keeps a copy of the warm-up checkpoint in {@code copy}, unless it already has one. */
  private static void keepWarmup(Path rge, Path copy, int step) {
    if (!hasCheckpoint(copy, step)) {
      copyCheckpoint(rge, copy, step, "cannot keep the warm-up checkpoint in ");
    }
  }

  /**
   * Gives a run that continues from the warm-up its checkpoint and its metrics so far, unless it
   * has checkpoints of its own.
   */
  private static void shareWarmup(Path warmup, Path run, int step) {
    if (!Files.exists(run.resolve(Trainer.CHECKPOINTS))) {
      copyCheckpoint(warmup, run, step, "cannot share the warm-up checkpoint with ");
    }
  }

  /**
   * Copies run {@code from}'s checkpoint at {@code step} and its metrics so far into {@code to}.
   */
  private static void copyCheckpoint(Path from, Path to, int step, String failure) {
    try {
      Path source = checkpoint(from, step);
      if (!hasCheckpoint(from, step)) {
        throw new IOException(
            source + " (the shared warm-up) is gone; rerun the quickstart with --fresh");
      }
      Files.createDirectories(to.resolve(Trainer.CHECKPOINTS));
      copyTree(source, checkpoint(to, step));
      Path metrics = from.resolve(Trainer.METRICS);
      if (Files.exists(metrics)) {
        Files.copy(metrics, to.resolve(Trainer.METRICS), StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(failure + to, e);
    }
  }

  private static void copyTree(Path source, Path target) throws IOException {
    Path tmp = target.resolveSibling("." + target.getFileName() + ".copying");
    try (Stream<Path> files = Files.walk(source)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path dest = tmp.resolve(source.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(dest);
        } else {
          Files.copy(p, dest, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
  }

  private long totalUnits() {
    long pretraining = plan.pretraining() == null ? 0 : plan.pretraining().steps();
    long perSeed = 0;
    for (Variant v : plan.variants()) {
      if (v.trains()) {
        perSeed += v.fromWarmup() ? plan.jointSteps() : plan.totalSteps();
      }
      perSeed += EVAL_UNITS;
    }
    return pretraining + perSeed * plan.seeds().size();
  }

  /**
   * Optimizer steps logged so far, read once per progress update.
   *
   * @param runs every training run's, by folder
   * @param pretraining the pretraining's, at most its planned steps (its schedule runs longer); 0
   *     without one
   */
  private record StepCounts(Map<Path, Long> runs, long pretraining) {}

  private StepCounts stepCounts() {
    Map<Path, Long> runs = new HashMap<>();
    for (long seed : plan.seeds()) {
      for (Variant v : plan.variants()) {
        if (v.trains()) {
          Path run = layout.run(seed, v);
          runs.put(run, steps(run));
        }
      }
    }
    Pretraining p = plan.pretraining();
    return new StepCounts(runs, p == null ? 0 : Math.min(steps(layout.pretrain()), p.steps()));
  }

  private long doneUnits(StepCounts steps) {
    long done = steps.pretraining();
    for (long seed : plan.seeds()) {
      for (Variant v : plan.variants()) {
        if (v.trains()) {
          long trained = steps.runs().get(layout.run(seed, v));
          done += v.fromWarmup() ? Math.max(0, trained - plan.warmupSteps()) : trained;
        }
        if (Files.exists(layout.run(seed, v).resolve(ModeScores.FILE))) {
          done += EVAL_UNITS;
        }
      }
    }
    return Math.min(done, totalUnits());
  }

  private boolean pretrainingDone(StepCounts steps) {
    return plan.pretraining() == null || steps.pretraining() >= plan.pretraining().steps();
  }

  private boolean trainingDone(StepCounts steps) {
    return steps.runs().values().stream().allMatch(n -> n >= plan.totalSteps());
  }

  /**
   * What is happening, for the progress line: steps per run (summed over seeds) while training,
   * then how many runs are evaluated. The renderer shortens it to the terminal's width.
   */
  private String status(StepCounts steps, Phase phase) {
    List<Variant> variants = plan.variants();
    if (phase == Phase.PRETRAINING) {
      return String.format(
          Locale.ROOT,
          "pretraining (describing images) %d/%d",
          steps.pretraining(),
          plan.pretraining().steps());
    }
    if (phase == Phase.EVALUATION) {
      long evaluated = 0;
      for (long seed : plan.seeds()) {
        for (Variant v : variants) {
          evaluated += Files.exists(layout.run(seed, v).resolve(ModeScores.FILE)) ? 1 : 0;
        }
      }
      return String.format(
          Locale.ROOT,
          "evaluating: %d/%d runs done",
          evaluated,
          variants.size() * plan.seeds().size());
    }
    List<String> parts = new ArrayList<>();
    for (Variant v : variants) {
      if (!v.trains()) {
        continue;
      }
      long total = 0;
      for (long seed : plan.seeds()) {
        total += steps.runs().get(layout.run(seed, v));
      }
      parts.add(
          String.format(
              Locale.ROOT,
              "%s %d/%d",
              v.id(),
              total,
              (long) plan.totalSteps() * plan.seeds().size()));
    }
    return "training " + String.join(" · ", parts);
  }

  /** Optimizer steps logged so far by a run (one line of metrics per step). */
  private static long steps(Path run) {
    Path metrics = run.resolve(Trainer.METRICS);
    if (!Files.exists(metrics)) {
      return 0;
    }
    try (Stream<String> lines = Files.lines(metrics)) {
      return lines.filter(l -> !l.isBlank()).count();
    } catch (IOException | UncheckedIOException e) {
      return 0; // being rewritten: count it next time
    }
  }

  private void prepareFolder(boolean fresh) throws IOException {
    Path out = layout.out();
    if (Files.exists(out)) {
      boolean ours = Files.exists(layout.marker());
      boolean empty;
      try (Stream<Path> s = Files.list(out)) {
        empty = s.findAny().isEmpty();
      }
      if (!ours && !empty) {
        throw new IOException(
            out
                + " exists and was not made by the quickstart (no "
                + QuickstartLayout.MARKER
                + "); choose another --out");
      }
      if (fresh && ours) {
        LOG.info("--fresh: removing the previous quickstart in {}", out);
        deleteTree(out);
      } else if (ours && !samePlan()) {
        throw new IOException(
            out
                + " holds a quickstart with other settings ("
                + layout.marker()
                + "); rerun with --fresh or another --out");
      }
    }
    Files.createDirectories(out);
    if (!Files.exists(layout.marker())) {
      Files.writeString(layout.marker(), planJson(), StandardCharsets.UTF_8);
    }
  }

  private boolean samePlan() throws IOException {
    ObjectMapper json = new ObjectMapper();
    Map<?, ?> existing = json.readValue(layout.marker().toFile(), Map.class);
    Map<?, ?> now = json.readValue(planJson(), Map.class);
    // More seeds than last time only adds runs; everything else must match.
    Map<String, Object> a = new java.util.HashMap<>(cast(existing));
    Map<String, Object> b = new java.util.HashMap<>(cast(now));
    a.remove("seeds");
    b.remove("seeds");
    a.remove("jobs");
    b.remove("jobs");
    // --ablations adds runs to a finished quickstart; it changes none of the default three.
    a.remove("ablations");
    b.remove("ablations");
    return a.equals(b);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Map<?, ?> m) {
    return (Map<String, Object>) m;
  }

  private String planJson() throws IOException {
    return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(plan);
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        if (!p.equals(root)) {
          Files.delete(p);
        }
      }
    }
  }
}
