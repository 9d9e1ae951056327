package io.rge.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.rge.core.DjlEngine;
import io.rge.core.ProjectVersion;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code rge version}: the RGE, DJL and PyTorch versions and the device a command would use. */
@Command(
    name = "version",
    mixinStandardHelpOptions = true,
    description = "Print the RGE, DJL and PyTorch versions and the device RGE would use.",
    footerHeading = "%nExamples:%n",
    footer = {"  scripts/rge version", "  scripts/rge version --device gpu"})
public final class VersionCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Mixin private DeviceOption device;

  @Override
  public Integer call() {
    Engine engine = DjlEngine.get();
    Device chosen = DjlEngine.device(device.value());
    PrintWriter out = spec.commandLine().getOut();
    out.printf("RGE      %s%n", ProjectVersion.get());
    out.printf("DJL      %s%n", Engine.getDjlVersion());
    out.printf("%-8s %s%n", engine.getEngineName(), engine.getVersion());
    out.printf("device   %s (GPUs visible: %d)%n", describe(chosen), engine.getGpuCount());
    return 0;
  }

  private static String describe(Device device) {
    return device.isGpu() ? "gpu " + device.getDeviceId() : device.getDeviceType();
  }
}
