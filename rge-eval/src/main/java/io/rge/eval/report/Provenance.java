package io.rge.eval.report;

import java.time.Instant;
import java.util.Objects;

/**
 * Where the numbers come from: software versions, the image source and when the run happened.
 *
 * @param rgeVersion RGE's version
 * @param djlVersion DJL's version
 * @param engine the DJL engine and its version, e.g. "PyTorch 2.7.1"
 * @param java the Java runtime version
 * @param device the device the model ran on
 * @param images a description of the image source (path, size, modification time), or "none"
 * @param started when the evaluation started
 * @param finished when it finished
 */
public record Provenance(
    String rgeVersion,
    String djlVersion,
    String engine,
    String java,
    String device,
    String images,
    Instant started,
    Instant finished) {
  public Provenance {
    Objects.requireNonNull(started, "started");
    Objects.requireNonNull(finished, "finished");
  }

  public double seconds() {
    return (finished.toEpochMilli() - started.toEpochMilli()) / 1000.0;
  }
}
