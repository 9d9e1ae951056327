package io.rge.serve;

import io.rge.core.generation.GenerationSettings;
import java.time.Duration;

/**
 * How the server runs.
 *
 * @param host the address to listen on (127.0.0.1 unless told otherwise)
 * @param port the port (0: any free one)
 * @param generation how rationales are generated; its batch size is the number of slots that the
 *     queries of all requests share
 * @param candidateBatch candidates (and queries without reasoning) embedded per forward pass
 * @param queueCapacity items (queries and candidates) that may wait for the model; a request that
 *     would exceed it is answered 429
 * @param maxInputs the most items one request may hold
 * @param maxBodyBytes the largest request body; a larger one is answered 413
 * @param maxImagePixels the most pixels (width x height) an inline image may decode to
 * @param deadline how long a request may take before it is cancelled and answered 504
 * @param drainTimeout how long a shutdown waits for the requests in flight
 */
public record ServeSettings(
    String host,
    int port,
    GenerationSettings generation,
    int candidateBatch,
    int queueCapacity,
    int maxInputs,
    long maxBodyBytes,
    long maxImagePixels,
    Duration deadline,
    Duration drainTimeout) {
  public ServeSettings {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host is required");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be in 0..65535, got " + port);
    }
    positive("candidate batch", candidateBatch);
    positive("queue capacity", queueCapacity);
    positive("max inputs", maxInputs);
    positive("max body bytes", maxBodyBytes);
    positive("max image pixels", maxImagePixels);
    if (deadline.isNegative() || deadline.isZero() || drainTimeout.isNegative()) {
      throw new IllegalArgumentException("deadline must be > 0 and drain timeout >= 0");
    }
  }

  /** Loopback, port 8080, the paper's generation settings, generous limits. */
  public static ServeSettings defaults() {
    return new ServeSettings(
        "127.0.0.1",
        8080,
        GenerationSettings.DEFAULT,
        32,
        1024,
        256,
        32L << 20,
        4096L * 4096L,
        Duration.ofMinutes(2),
        Duration.ofSeconds(30));
  }

  public ServeSettings withPort(int value) {
    return new ServeSettings(
        host,
        value,
        generation,
        candidateBatch,
        queueCapacity,
        maxInputs,
        maxBodyBytes,
        maxImagePixels,
        deadline,
        drainTimeout);
  }

  public ServeSettings withHost(String value) {
    return new ServeSettings(
        value,
        port,
        generation,
        candidateBatch,
        queueCapacity,
        maxInputs,
        maxBodyBytes,
        maxImagePixels,
        deadline,
        drainTimeout);
  }

  public ServeSettings withGeneration(GenerationSettings value) {
    return new ServeSettings(
        host,
        port,
        value,
        candidateBatch,
        queueCapacity,
        maxInputs,
        maxBodyBytes,
        maxImagePixels,
        deadline,
        drainTimeout);
  }

  /** The queue, input and size limits. */
  public ServeSettings withLimits(int queue, int inputs, long bodyBytes, long imagePixels) {
    return new ServeSettings(
        host,
        port,
        generation,
        candidateBatch,
        queue,
        inputs,
        bodyBytes,
        imagePixels,
        deadline,
        drainTimeout);
  }

  public ServeSettings withTimeouts(Duration requestDeadline, Duration drain) {
    return new ServeSettings(
        host,
        port,
        generation,
        candidateBatch,
        queueCapacity,
        maxInputs,
        maxBodyBytes,
        maxImagePixels,
        requestDeadline,
        drain);
  }

  private static void positive(String what, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(what + " must be > 0, got " + value);
    }
  }
}
