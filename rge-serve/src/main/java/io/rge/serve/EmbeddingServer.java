package io.rge.serve;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of {@code rge serve} (Javalin on Jetty): {@code POST /v1/embeddings}, {@code GET
 * /health} (200 once the model is loaded, 503 before and while shutting down) and {@code GET
 * /metrics} (Prometheus text). It listens at once and loads the model in the background; {@link
 * #stop} stops taking requests, lets those in flight finish within the drain timeout and closes the
 * model.
 */
public final class EmbeddingServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddingServer.class);
  private static final String JSON = "application/json";
  private static final int RETRY_AFTER_SECONDS = 1;

  private final ServeSettings settings;
  private final ServerMetrics metrics = new ServerMetrics();
  private final ModelWorker worker;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Set<Submission> pending = ConcurrentHashMap.newKeySet();
  private final Javalin app;
  private volatile boolean draining;
  private boolean stopped;

  private EmbeddingServer(ModelLoading loading, ServeSettings settings) {
    this.settings = settings;
    this.worker = new ModelWorker(loading, settings, metrics);
    metrics.watch(worker::waiting, worker::slotsInUse, settings.generation().batchSize());
    this.app =
        Javalin.create(
            config -> {
              config.startup.showJavalinBanner = false;
              config.startup.showOldJavalinVersionWarning = false;
              config.http.maxRequestSize = settings.maxBodyBytes();
              config.routes.post("/v1/embeddings", this::embeddings);
              config.routes.get("/health", this::health);
              config.routes.get("/metrics", this::metrics);
            });
  }

  /** Listens on {@code settings}' host and port and starts loading the model. */
  public static EmbeddingServer start(ModelLoading loading, ServeSettings settings) {
    EmbeddingServer server = new EmbeddingServer(loading, settings);
    server.worker.start();
    server.app.start(settings.host(), settings.port());
    LOG.info("listening on {} port {} (HTTP)", settings.host(), server.port());
    return server;
  }

  /** The port listened on (the one chosen when the settings asked for 0). */
  public int port() {
    return app.port();
  }

  /** Waits until the model is loaded; returns why it could not be, or null once it is. */
  public Throwable awaitModel() throws InterruptedException {
    return worker.awaitLoad();
  }

  /** True once the model is loaded, until shutdown starts. */
  public boolean ready() {
    return worker.ready() && !draining;
  }

  /**
   * Stops taking requests (503), waits up to the drain timeout for those in flight, then stops the
   * HTTP server and the model.
   *
   * @return true when every request in flight was answered within the bound
   */
  public synchronized boolean stop() throws InterruptedException {
    if (stopped) {
      return true;
    }
    draining = true;
    long deadline = System.nanoTime() + settings.drainTimeout().toNanos();
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    boolean drained = inFlight.get() == 0;
    if (!drained) {
      // Answered 503 before the connections close, so that nothing is left half-answered.
      LOG.warn("{} requests still in flight after the drain timeout: cancelled", inFlight.get());
      pending.forEach(worker::cancel);
      long flush = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
      while (inFlight.get() > 0 && System.nanoTime() < flush) {
        Thread.sleep(20);
      }
    }
    worker.stop(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    app.stop();
    stopped = true;
    return drained;
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }

  private void health(Context ctx) {
    String status;
    if (draining) {
      status = "draining";
    } else if (worker.ready()) {
      status = "ready";
    } else if (worker.loadFailure() != null) {
      status = "failed";
    } else {
      status = "loading";
    }
    ctx.status("ready".equals(status) ? 200 : 503)
        .contentType(JSON)
        .result("{\"status\":\"" + status + "\"}");
  }

  private void metrics(Context ctx) {
    ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
  }

  private void embeddings(Context ctx) {
    long started = System.nanoTime();
    if (draining || !worker.ready()) {
      String why = draining ? "the server is shutting down" : "the model is not loaded yet";
      fail(ctx, started, 503, "unavailable", null, why);
      return;
    }
    EmbeddingsRequest request;
    try {
      request = EmbeddingsRequest.parse(body(ctx), settings.maxInputs(), settings.maxImagePixels());
    } catch (BodyTooLarge e) {
      fail(ctx, started, 413, "invalid_request_error", "body", e.getMessage());
      return;
    } catch (BadInput e) {
      fail(ctx, started, 400, "invalid_request_error", e.field(), e.getMessage());
      return;
    }
    Submission submission;
    try {
      submission = worker.submit(request.items());
    } catch (QueueFull e) {
      ctx.header("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
      fail(ctx, started, 429, "rate_limit_error", null, e.getMessage());
      return;
    } catch (IllegalArgumentException e) {
      // What the model refuses while preparing an input (a prompt that cannot be tokenised, an
      // image the processor rejects).
      fail(ctx, started, 400, "invalid_request_error", "input", e.getMessage());
      return;
    } catch (IllegalStateException e) {
      fail(ctx, started, 503, "unavailable", null, e.getMessage());
      return;
    }
    inFlight.incrementAndGet();
    pending.add(submission);
    CompletableFuture<Void> answer =
        submission
            .done()
            .orTimeout(settings.deadline().toMillis(), TimeUnit.MILLISECONDS)
            .handle((results, error) -> answer(ctx, started, submission, request, results, error));
    // Javalin cancels the future when the client goes away: its rows leave the batch.
    answer.whenComplete(
        (ignored, error) -> {
          if (error instanceof CancellationException) {
            LOG.info("client went away: cancelling its {} items", request.items().size());
            worker.cancel(submission);
          }
          pending.remove(submission);
          inFlight.decrementAndGet();
        });
    // One answer per connection: the disconnect watch stays registered on the connection after
    // the answer, and must not take the first byte of a next request on it.
    ctx.header("Connection", "close");
    DisconnectWatch.watch(
        ctx.req(),
        () -> {
          if (!answer.isDone()) {
            LOG.info("client went away: cancelling its {} items", request.items().size());
            worker.cancel(submission);
          }
        });
    ctx.future(() -> answer);
  }

  private Void answer(
      Context ctx,
      long started,
      Submission submission,
      EmbeddingsRequest request,
      List<ItemResult> results,
      Throwable error) {
    if (error == null) {
      ctx.status(200)
          .contentType(JSON)
          .result(EmbeddingsResponse.json(results, request.base64(), request.model()));
      metrics.requestTook("embeddings", 200, Duration.ofNanos(System.nanoTime() - started));
      return null;
    }
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof TimeoutException) {
      worker.cancel(submission);
      fail(
          ctx,
          started,
          504,
          "timeout",
          null,
          "the request took longer than its deadline of " + settings.deadline().toSeconds() + " s");
    } else if (cause instanceof CancellationException) {
      // The client went away (nothing reads this) or the drain timeout passed.
      worker.cancel(submission);
      fail(ctx, started, 503, "unavailable", null, "the server shut down before answering");
    } else {
      LOG.error("embedding failed", cause);
      fail(ctx, started, 500, "server_error", null, "embedding failed: " + cause.getMessage());
    }
    return null;
  }

  private void fail(
      Context ctx, long started, int status, String type, String param, String message) {
    ctx.status(status).contentType(JSON).result(EmbeddingsResponse.error(type, param, message));
    metrics.requestTook("embeddings", status, Duration.ofNanos(System.nanoTime() - started));
  }

  /** The body, read up to the size limit: a larger one is refused before it is all in memory. */
  private byte[] body(Context ctx) {
    long limit = settings.maxBodyBytes();
    long declared = ctx.req().getContentLengthLong();
    if (declared > limit) {
      throw new BodyTooLarge(declared, limit);
    }
    try (InputStream in = ctx.req().getInputStream()) {
      byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
      if (bytes.length > limit) {
        throw new BodyTooLarge(bytes.length, limit);
      }
      return bytes;
    } catch (IOException e) {
      throw new BadInput("body", "could not be read (" + e.getMessage() + ")");
    }
  }

  /** A body over the size limit: 413. */
  private static final class BodyTooLarge extends RuntimeException {
    BodyTooLarge(long size, long limit) {
      super("the body is " + (size > limit ? "over " : "") + limit + " bytes, the limit");
    }
  }
}
