package io.rge.serve;

import io.rge.core.DeviceChoice;
import io.rge.core.generation.GenerationSettings;
import io.rge.core.precision.PrecisionChoice;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/**
 * {@code rge serve}: the embeddings server until SIGTERM (or Ctrl-C), which stops taking requests,
 * lets those in flight finish within {@code --drain-seconds} and exits 0.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description =
        "Serve embeddings over HTTP: POST /v1/embeddings (OpenAI's shape, queries reasoned and"
            + " batched across requests), GET /health, GET /metrics.",
    sortOptions = false)
public final class ServeCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

  @Option(names = "--model", paramLabel = "DIR", required = true, description = "Model folder.")
  private Path model;

  @Option(names = "--adapter", paramLabel = "DIR", description = "A PEFT adapter folder.")
  private Path adapter;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  private String host;

  @Option(
      names = "--port",
      defaultValue = "8080",
      description = "Port (default: ${DEFAULT-VALUE}).")
  private int port;

  @Option(
      names = "--device",
      defaultValue = "auto",
      paramLabel = "cpu|gpu|auto",
      description = "Where the model runs (default: ${DEFAULT-VALUE}).")
  private String device;

  @Option(
      names = "--precision",
      defaultValue = "auto",
      paramLabel = "fp32|bf16|fp16|auto",
      description = "Compute precision (default: auto, fp32 on the CPU).")
  private String precision;

  @Option(
      names = "--slots",
      defaultValue = "16",
      description = "Queries generated together, across requests (default: ${DEFAULT-VALUE}).")
  private int slots;

  @Option(
      names = "--max-new-tokens",
      defaultValue = "128",
      description = "Rationale token limit (default: ${DEFAULT-VALUE}).")
  private int maxNewTokens;

  @Option(
      names = "--queue",
      defaultValue = "1024",
      description = "Items that may wait; beyond, 429 (default: ${DEFAULT-VALUE}).")
  private int queue;

  @Option(
      names = "--deadline-seconds",
      defaultValue = "120",
      description = "Per-request deadline; past it, 504 (default: ${DEFAULT-VALUE}).")
  private long deadlineSeconds;

  @Option(
      names = "--drain-seconds",
      defaultValue = "30",
      description = "How long a shutdown waits for requests in flight (default: ${DEFAULT-VALUE}).")
  private long drainSeconds;

  @Override
  public Integer call() throws Exception {
    ServeSettings defaults = ServeSettings.defaults();
    ServeSettings settings =
        defaults
            .withHost(host)
            .withPort(port)
            .withGeneration(GenerationSettings.greedy(maxNewTokens, slots))
            .withLimits(
                queue, defaults.maxInputs(), defaults.maxBodyBytes(), defaults.maxImagePixels())
            .withTimeouts(Duration.ofSeconds(deadlineSeconds), Duration.ofSeconds(drainSeconds));
    ModelLoading loading =
        new ModelLoading(
            model, adapter, DeviceChoice.parse(device), PrecisionChoice.parseOrAuto(precision));
    CountDownLatch stop = new CountDownLatch(1);
    // Handled, not a shutdown hook: the drain then ends in a normal exit (0), not 143.
    Signal.handle(new Signal("TERM"), signal -> stop.countDown());
    Signal.handle(new Signal("INT"), signal -> stop.countDown());
    EmbeddingServer server = EmbeddingServer.start(loading, settings);
    Throwable failure = server.awaitModel();
    if (failure != null) {
      server.stop();
      throw failure instanceof Exception e ? e : new IllegalStateException(failure);
    }
    stop.await();
    LOG.info("shutting down: draining the requests in flight");
    server.stop();
    return 0;
  }
}
