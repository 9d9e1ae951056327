package io.rge.serve;

import io.rge.core.PreparedInput;
import io.rge.core.QueryEmbedding;
import io.rge.core.RgeModel;
import io.rge.core.generation.GeneratedQuery;
import io.rge.core.generation.GenerationJob;
import io.rge.core.generation.GenerationRequest;
import io.rge.core.generation.GenerationSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that uses the model. It loads it, then keeps one generation loop running over the
 * queries of every request (a query takes the first free slot of the running batch) and embeds the
 * waiting candidates between two decoding steps. Requests join through {@link #submit}, from any
 * thread; the queue of waiting items is bounded.
 */
final class ModelWorker implements GenerationSource {
  private static final Logger LOG = LoggerFactory.getLogger(ModelWorker.class);

  private final ModelLoading loading;
  private final ServeSettings settings;
  private final ServerMetrics metrics;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition arrived = lock.newCondition();
  private final Deque<QueryJob> queries = new ArrayDeque<>();
  private final Deque<CandidateTask> candidates = new ArrayDeque<>();
  private final Object preparing = new Object();
  private final CountDownLatch ended = new CountDownLatch(1);
  private final CountDownLatch loaded = new CountDownLatch(1); // the model is loaded or failed
  private final Thread thread;
  private volatile RgeModel model;
  private volatile Throwable loadFailure;
  private volatile int liveRows;
  private int waiting; // items in the two queues; guarded by lock
  private boolean stopping; // guarded by lock

  ModelWorker(ModelLoading loading, ServeSettings settings, ServerMetrics metrics) {
    this.loading = loading;
    this.settings = settings;
    this.metrics = metrics;
    this.thread = new Thread(this::work, "rge-model");
  }

  void start() {
    thread.start();
  }

  /** True once the model is loaded and until the worker stops. */
  boolean ready() {
    return model != null && ended.getCount() > 0;
  }

  /** Waits for the model to be loaded; returns why it could not be, or null. */
  Throwable awaitLoad() throws InterruptedException {
    loaded.await();
    return loadFailure;
  }

  /** Why the model could not be loaded, or null. */
  Throwable loadFailure() {
    return loadFailure;
  }

  int slotsInUse() {
    return liveRows;
  }

  /**
   * Prepares the items (prompts tokenised, images processed) and queues them.
   *
   * @throws QueueFull when the queue cannot take them all
   * @throws IllegalStateException when the model is not loaded or the worker is stopping
   */
  Submission submit(List<EmbeddingItem> items) {
    RgeModel m = model;
    if (m == null || !ready()) {
      throw new IllegalStateException("the model is not ready");
    }
    // The tokenizer and the image processor are shared by the HTTP threads: one at a time.
    List<PreparedInput> prepared = new ArrayList<>(items.size());
    synchronized (preparing) {
      for (EmbeddingItem item : items) {
        prepared.add(
            item.reasoned()
                ? m.prepareQuery(item.input(), true)
                : m.prepareCandidate(item.input()));
      }
    }
    Submission submission = new Submission(items.size());
    lock.lock();
    try {
      if (stopping) {
        throw new IllegalStateException("the server is shutting down");
      }
      if (waiting + items.size() > settings.queueCapacity()) {
        throw new QueueFull(items.size(), waiting, settings.queueCapacity());
      }
      for (int i = 0; i < items.size(); i++) {
        if (items.get(i).reasoned()) {
          queries.add(new QueryJob(submission, i, prepared.get(i)));
        } else {
          candidates.add(new CandidateTask(submission, i, prepared.get(i)));
        }
      }
      waiting += items.size();
      arrived.signalAll();
    } finally {
      lock.unlock();
    }
    return submission;
  }

  /** Cancels a submission: its waiting items leave the queue, its rows leave the batch. */
  void cancel(Submission submission) {
    int dropped = submission.cancel();
    if (dropped > 0) {
      metrics.cancelled(dropped);
    }
    lock.lock();
    try {
      arrived.signalAll(); // the loop drops the cancelled items
    } finally {
      lock.unlock();
    }
  }

  /** Lets the queued work finish, then ends the loop and closes the model. */
  boolean stop(long timeout, TimeUnit unit) throws InterruptedException {
    lock.lock();
    try {
      stopping = true;
      arrived.signalAll();
    } finally {
      lock.unlock();
    }
    return ended.await(timeout, unit);
  }

  @Override
  public int waiting() {
    lock.lock();
    try {
      return waiting;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<GenerationJob> take(int max, boolean idle) {
    if (idle) {
      liveRows = 0;
    }
    while (true) {
      List<CandidateTask> batch = new ArrayList<>();
      List<GenerationJob> jobs = new ArrayList<>();
      boolean end;
      lock.lock();
      try {
        while (idle && !stopping && queries.isEmpty() && candidates.isEmpty()) {
          arrived.awaitUninterruptibly();
        }
        while (!candidates.isEmpty()) {
          CandidateTask task = candidates.poll();
          waiting--;
          if (!task.submission.cancelled()) {
            batch.add(task);
          }
        }
        while (!queries.isEmpty() && jobs.size() < max) {
          QueryJob job = queries.poll();
          waiting--;
          if (!job.cancelled()) {
            jobs.add(job);
          }
        }
        end = stopping && queries.isEmpty() && candidates.isEmpty();
      } finally {
        lock.unlock();
      }
      embedCandidates(batch);
      if (!jobs.isEmpty() || !idle || end) {
        return jobs;
      }
    }
  }

  @Override
  public void stepped(int rows) {
    liveRows = rows;
    metrics.generated(rows);
  }

  private void embedCandidates(List<CandidateTask> batch) {
    if (batch.isEmpty()) {
      return;
    }
    List<PreparedInput> inputs = batch.stream().map(t -> t.input).toList();
    try {
      List<float[]> vectors = model.embedPreparedCandidates(inputs, settings.candidateBatch());
      for (int i = 0; i < batch.size(); i++) {
        CandidateTask task = batch.get(i);
        task.submission.complete(
            task.item, new ItemResult(vectors.get(i), null, task.input.promptIds().length, 0));
      }
    } catch (RuntimeException e) {
      LOG.warn("embedding {} candidates failed", batch.size(), e);
      batch.forEach(t -> t.submission.fail(e));
    }
  }

  private void work() {
    try {
      model = loading.load();
      LOG.info("model ready: {} slots", settings.generation().batchSize());
    } catch (Exception | Error e) {
      loadFailure = e;
      LOG.error("could not load the model from {}", loading.modelDir(), e);
      ended.countDown();
      loaded.countDown();
      return;
    }
    loaded.countDown();
    try {
      while (true) {
        try {
          model.generate(this, settings.generation());
        } catch (RuntimeException e) {
          // The failed rows' requests were answered with the error; the loop goes on.
          LOG.error("generation failed", e);
          continue;
        }
        lock.lock();
        try {
          if (stopping && queries.isEmpty() && candidates.isEmpty()) {
            break;
          }
        } finally {
          lock.unlock();
        }
      }
    } finally {
      liveRows = 0;
      model.close();
      ended.countDown();
    }
  }

  /** A reasoning query of a submission: one row of the generation. */
  private final class QueryJob implements GenerationJob {
    final Submission submission;
    final int item;
    final GenerationRequest request;
    final int promptTokens;

    QueryJob(Submission submission, int item, PreparedInput input) {
      this.submission = submission;
      this.item = item;
      this.request = input.generationRequest();
      this.promptTokens = input.promptIds().length;
    }

    @Override
    public GenerationRequest request() {
      return request;
    }

    @Override
    public boolean cancelled() {
      return submission.cancelled();
    }

    @Override
    public void complete(GeneratedQuery result) {
      QueryEmbedding q = model.queryEmbedding(result);
      submission.complete(
          item, new ItemResult(q.vector(), q.rationale(), promptTokens, result.tokens().length));
    }

    @Override
    public void fail(RuntimeException error) {
      submission.fail(error);
    }
  }

  /** A candidate (or a query without reasoning) of a submission. */
  private record CandidateTask(Submission submission, int item, PreparedInput input) {}
}
