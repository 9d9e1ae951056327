package io.rge.eval.report;

import io.rge.core.Provenance;
import java.time.Instant;
import java.util.Objects;

/**
 * Where an evaluation's numbers come from: the run's {@link Provenance} (versions, git commit,
 * host, device, seed: the fields a checkpoint records too), the image source and when it ran.
 *
 * @param provenance the software, commit, machine, device and seed
 * @param images a description of the image source (path, size, modification time), or "none"
 * @param started when the evaluation started
 * @param finished when it finished
 */
public record EvalProvenance(
    Provenance provenance, String images, Instant started, Instant finished) {
  public EvalProvenance {
    Objects.requireNonNull(provenance, "provenance");
    Objects.requireNonNull(started, "started");
    Objects.requireNonNull(finished, "finished");
  }

  public double seconds() {
    return (finished.toEpochMilli() - started.toEpochMilli()) / 1000.0;
  }
}
