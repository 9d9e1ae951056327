package io.rge.cli.quickstart;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a main class in a new JVM with this JVM's class path and offline DJL settings. The
 * quickstart trains its three modes as separate processes: PyTorch on a small model runs fastest
 * single-threaded, so two processes use two cores better than one process with two threads, and DJL
 * allows only one gradient collector per process.
 */
final class ChildJvm {
  private final List<String> prefix;

  ChildJvm(String heap) {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.add("-Xmx" + heap);
    cmd.add("-Dai.djl.offline=true");
    cmd.add("-DOPT_OUT_TRACKING=true");
    cmd.add("-Dai.djl.pytorch.num_threads=1");
    cmd.add("-Dai.djl.pytorch.num_interop_threads=1");
    String logback = System.getProperty("logback.configurationFile");
    if (logback != null) {
      cmd.add("-Dlogback.configurationFile=" + logback);
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    this.prefix = List.copyOf(cmd);
  }

  /** Starts {@code mainClass args}, output (both streams) appended to {@code log}. */
  Process start(String mainClass, List<String> args, Path log) throws IOException {
    Files.createDirectories(log.getParent());
    List<String> cmd = new ArrayList<>(prefix);
    cmd.add(mainClass);
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("OPT_OUT_TRACKING", "true");
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    return pb.start();
  }
}
