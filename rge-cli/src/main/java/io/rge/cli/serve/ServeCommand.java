package io.rge.cli.serve;

import io.rge.cli.DeviceOption;
import io.rge.cli.GenerationOptions;
import io.rge.cli.ModelOption;
import io.rge.cli.PrecisionOption;
import io.rge.core.generation.GenerationSettings;
import io.rge.serve.EmbeddingServer;
import io.rge.serve.ModelLoading;
import io.rge.serve.ServeSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/**
 * {@code rge serve}: the embeddings server of rge-serve until SIGTERM (or Ctrl-C), which stops
 * taking requests, lets those in flight finish within {@code --drain-seconds} and exits 0. The
 * command lives here, with the options every command shares; the HTTP library stays in rge-serve.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description =
        "Serve embeddings over HTTP: POST /v1/embeddings (OpenAI's shape, queries reasoned and"
            + " batched across requests), GET /health, GET /metrics.",
    sortOptions = false,
    footerHeading = "%nExamples:%n",
    footer = {
      "  scripts/rge serve --model models/MCG-NJU-RGE --port 8080",
      "  scripts/rge serve --model models/MCG-NJU-RGE --device gpu --batch-size 32"
    })
public final class ServeCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

  @Mixin private ModelOption model;

  @Option(
      names = "--adapter",
      paramLabel = "DIR",
      description =
          "A folder with adapter_config.json and adapter_model.safetensors (e.g. a checkpoint).")
  private Path adapter;

  @Mixin private DeviceOption device;

  @Mixin private PrecisionOption precision;

  @Mixin private GenerationOptions generation;

  @Option(
      names = "--host",
      paramLabel = "ADDRESS",
      defaultValue = "127.0.0.1",
      description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  private String host;

  @Option(
      names = "--port",
      paramLabel = "N",
      defaultValue = "8080",
      description = "Port (default: ${DEFAULT-VALUE}).")
  private int port;

  @Option(
      names = "--queue",
      paramLabel = "N",
      defaultValue = "1024",
      description = "Items that may wait; beyond, 429 (default: ${DEFAULT-VALUE}).")
  private int queue;

  @Option(
      names = "--deadline-seconds",
      paramLabel = "S",
      defaultValue = "120",
      description = "Per-request deadline; past it, 504 (default: ${DEFAULT-VALUE}).")
  private long deadlineSeconds;

  @Option(
      names = "--drain-seconds",
      paramLabel = "S",
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
            // --batch-size: the slots of the one generation loop that every request shares.
            .withGeneration(
                GenerationSettings.greedy(generation.maxNewTokens(), generation.batchSize()))
            .withLimits(
                queue, defaults.maxInputs(), defaults.maxBodyBytes(), defaults.maxImagePixels())
            .withTimeouts(Duration.ofSeconds(deadlineSeconds), Duration.ofSeconds(drainSeconds));
    ModelLoading loading =
        new ModelLoading(model.folder(), adapter, device.value(), precision.requested());
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
