package io.rge.cli.quickstart;

import java.nio.file.Path;
import java.util.List;

/**
 * One unit of quickstart work run in a child JVM.
 *
 * @param name shown in progress and errors, e.g. "seed 0 rge: train"
 * @param mainClass the child's main class
 * @param args its arguments
 * @param log where its output goes
 * @param dependsOn names of jobs that must finish first
 * @param before work done in this process when the job becomes runnable (e.g. copying the shared
 *     warm-up checkpoint), or null
 */
record Job(
    String name,
    String mainClass,
    List<String> args,
    Path log,
    List<String> dependsOn,
    Runnable before) {
  Job {
    args = List.copyOf(args);
    dependsOn = List.copyOf(dependsOn);
  }
}
