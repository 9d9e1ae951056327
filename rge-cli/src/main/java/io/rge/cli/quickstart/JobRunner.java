package io.rge.cli.quickstart;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs jobs in child JVMs, at most {@code parallel} at once, each as soon as the jobs it depends on
 * have finished. A failing job stops the others and is reported with the end of its log.
 */
final class JobRunner {
  private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);
  private static final int LOG_TAIL_LINES = 25;

  private final ChildJvm jvm;
  private final int parallel;

  JobRunner(ChildJvm jvm, int parallel) {
    this.jvm = jvm;
    this.parallel = parallel;
  }

  /** Runs every job; {@code tick} is called about every half second while they run. */
  void run(List<Job> jobs, Runnable tick) throws IOException, InterruptedException {
    Map<String, Job> pending = new LinkedHashMap<>();
    for (Job j : jobs) {
      pending.put(j.name(), j);
    }
    for (Job j : jobs) {
      for (String d : j.dependsOn()) {
        if (!pending.containsKey(d)) {
          throw new IllegalArgumentException(
              "job '" + j.name() + "' depends on unknown '" + d + "'");
        }
      }
    }
    Set<String> done = new HashSet<>();
    Map<Job, Process> running = new LinkedHashMap<>();
    try {
      while (!pending.isEmpty() || !running.isEmpty()) {
        for (Job j : new ArrayList<>(pending.values())) {
          if (running.size() >= parallel) {
            break;
          }
          if (done.containsAll(j.dependsOn())) {
            pending.remove(j.name());
            if (j.before() != null) {
              j.before().run();
            }
            LOG.debug("starting {}", j.name());
            running.put(j, jvm.start(j.mainClass(), j.args(), j.log()));
          }
        }
        if (running.isEmpty() && !pending.isEmpty()) {
          throw new IllegalStateException("jobs wait on each other: " + pending.keySet());
        }
        for (Map.Entry<Job, Process> e : new ArrayList<>(running.entrySet())) {
          Process p = e.getValue();
          if (p.waitFor(0, TimeUnit.MILLISECONDS)) {
            running.remove(e.getKey());
            if (p.exitValue() != 0) {
              throw new IOException(
                  e.getKey().name()
                      + " failed (exit "
                      + p.exitValue()
                      + "); end of "
                      + e.getKey().log()
                      + ":\n"
                      + tail(e.getKey()));
            }
            done.add(e.getKey().name());
          }
        }
        tick.run();
        Thread.sleep(500);
      }
    } finally {
      for (Process p : running.values()) {
        p.destroy();
      }
      for (Process p : running.values()) {
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
    }
  }

  private static String tail(Job job) {
    try {
      List<String> lines = Files.readAllLines(job.log());
      return String.join(
          "\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
    } catch (IOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }
}
