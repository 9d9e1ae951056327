package io.rge.training.parallel;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import io.rge.core.RgeModel;
import io.rge.core.qwen25vl.ModelWeight;
import io.rge.core.qwen25vl.Scalars;
import io.rge.training.objective.Workers;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Model replicas for data-parallel training, one per device, each with its own thread: the lead
 * (replica 0, whose weights the optimizer updates) and copies of it made at the start. After each
 * step's backward passes the copies' gradients are summed onto the lead's ({@link
 * #reduceGradients}); after the update the lead's weights are copied back to them ({@link
 * #broadcastWeights}). Both go tensor by tensor through device-to-device copies: DJL 0.36 binds no
 * collective library (NCCL), and a sum on one device plus a broadcast moves the same bytes as an
 * all-reduce while keeping a single optimizer state.
 */
public final class Replicas implements Workers, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Replicas.class);

  private final List<RgeModel> models;
  private final List<List<ModelWeight>> trainable;
  private final List<ExecutorService> threads;

  private Replicas(
      List<RgeModel> models, List<List<ModelWeight>> trainable, List<ExecutorService> threads) {
    this.models = models;
    this.trainable = trainable;
    this.threads = threads;
  }

  /**
   * Replicates {@code lead} onto {@code devices} (after the first, which is the lead's own).
   *
   * @param leadTrainable the lead's trainable weights (the optimizer's)
   * @param trainableOf makes a copy's weights trainable as the lead's are (adapters attached, parts
   *     frozen) and returns them; their values are then overwritten by the lead's
   * @throws IllegalArgumentException when {@code devices[0]} is not the lead's device
   */
  public static Replicas create(
      RgeModel lead,
      List<ModelWeight> leadTrainable,
      List<Device> devices,
      Function<RgeModel, List<ModelWeight>> trainableOf) {
    if (!devices.get(0).equals(lead.device())) {
      throw new IllegalArgumentException(
          "the lead replica is on "
              + lead.device()
              + ", not on the first device "
              + devices.get(0));
    }
    List<RgeModel> models = new ArrayList<>(List.of(lead));
    List<List<ModelWeight>> trainable = new ArrayList<>(List.of(List.copyOf(leadTrainable)));
    List<ExecutorService> threads = new ArrayList<>();
    Replicas replicas = new Replicas(models, trainable, threads);
    try {
      for (int r = 0; r < devices.size(); r++) {
        int index = r;
        threads.add(
            Executors.newSingleThreadExecutor(
                task -> {
                  Thread t = new Thread(task, "rge-replica-" + index);
                  t.setDaemon(true);
                  return t;
                }));
        if (r == 0) {
          continue;
        }
        RgeModel copy = lead.replicate(devices.get(r));
        models.add(copy);
        copy.network().setActivationRecomputation(lead.network().recomputesActivations());
        List<ModelWeight> weights = trainableOf.apply(copy);
        requireSameWeights(leadTrainable, weights, devices.get(r));
        trainable.add(List.copyOf(weights));
      }
      for (int r = 0; r < models.size(); r++) {
        defineGradients(models.get(r), trainable.get(r));
      }
      replicas.broadcastWeights();
      LOG.info("data parallel: {} replicas on {}", models.size(), devices);
      return replicas;
    } catch (RuntimeException e) {
      replicas.close();
      throw e;
    }
  }

  private static void requireSameWeights(
      List<ModelWeight> lead, List<ModelWeight> copy, Device device) {
    List<String> a = lead.stream().map(ModelWeight::name).toList();
    List<String> b = copy.stream().map(ModelWeight::name).toList();
    if (!a.equals(b)) {
      throw new IllegalStateException(
          "the replica on " + device + " trains other weights than the lead: " + b + " vs " + a);
    }
  }

  /**
   * Gives every trainable weight a gradient array (zeros) through one backward pass of {@code Σ
   * sum(w) · 0}: PyTorch creates a gradient at a weight's first backward pass, and the sums below
   * must add into the lead's real gradient even where its own rows did not reach a weight.
   */
  private static void defineGradients(RgeModel model, List<ModelWeight> weights) {
    try (NDManager scope = model.manager().newSubManager();
        ThreadGradients collector = new ThreadGradients()) {
      NDArray zero = Scalars.constant(scope, 0f);
      NDArray total = null;
      for (ModelWeight w : weights) {
        NDArray sum = w.value().sum();
        sum.attach(scope);
        NDArray term = sum.mul(zero);
        total = total == null ? term : total.add(term);
      }
      collector.backward(total);
    }
  }

  /** Replicas, the lead included. */
  @Override
  public int size() {
    return models.size();
  }

  /** Replica {@code r} (0: the lead). */
  @Override
  public RgeModel model(int r) {
    return models.get(r);
  }

  /**
   * Runs {@code work(r)} for every replica at once, each on its replica's thread with autograd off
   * (work that records gradients opens a {@link ThreadGradients}), and returns the results in
   * replica order after all have finished.
   *
   * @throws RuntimeException the first failure, after every replica has stopped
   */
  @Override
  public <T> List<T> onEach(IntFunction<T> work) {
    List<Future<T>> futures = new ArrayList<>(models.size());
    for (int r = 0; r < models.size(); r++) {
      int replica = r;
      futures.add(
          threads
              .get(r)
              .submit(
                  () -> {
                    boolean gradMode = JniUtils.isGradMode();
                    JniUtils.setGradMode(false);
                    try {
                      return work.apply(replica);
                    } finally {
                      JniUtils.setGradMode(gradMode);
                    }
                  }));
    }
    List<T> results = new ArrayList<>(futures.size());
    RuntimeException failure = null;
    for (Future<T> f : futures) {
      try {
        results.add(f.get());
      } catch (ExecutionException e) {
        results.add(null);
        if (failure == null) {
          failure =
              e.getCause() instanceof RuntimeException re
                  ? re
                  : new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while replicas were running", e);
      }
    }
    if (failure != null) {
      throw failure;
    }
    return results;
  }

  /** Records gradients on replica {@code r}'s thread only ({@link ThreadGradients}). */
  @Override
  public GradientCollector gradients(int r) {
    return new ThreadGradients();
  }

  /**
   * Adds every copy's gradients to the lead's (copied to the lead's device) and clears the copies'.
   * The lead's gradients then equal one replica's over all the step's rows.
   */
  @Override
  public void reduceGradients() {
    Device lead = models.get(0).device();
    boolean gradMode = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try (NDManager scope = models.get(0).manager().newSubManager()) {
      for (int i = 0; i < trainable.get(0).size(); i++) {
        NDArray sum = trainable.get(0).get(i).value().getGradient();
        sum.attach(scope);
        for (int r = 1; r < models.size(); r++) {
          ModelWeight w = trainable.get(r).get(i);
          NDArray g = w.value().getGradient();
          g.attach(scope);
          NDArray moved = g.toDevice(lead, false); // a device-to-device copy between GPUs
          moved.attach(scope);
          sum.addi(moved);
          JniUtils.zeroGrad((PtNDArray) w.value());
        }
      }
    } finally {
      JniUtils.setGradMode(gradMode);
    }
  }

  /** Copies the lead's trainable weights onto every copy (device to device), in place. */
  public void broadcastWeights() {
    boolean gradMode = JniUtils.isGradMode();
    // In-place writes to leaves that require gradients are legal only with autograd off.
    JniUtils.setGradMode(false);
    try (NDManager scope = models.get(0).manager().newSubManager()) {
      for (int r = 1; r < models.size(); r++) {
        Device device = models.get(r).device();
        for (int i = 0; i < trainable.get(0).size(); i++) {
          NDArray source = trainable.get(0).get(i).value();
          NDArray moved = source.toDevice(device, true);
          moved.attach(scope);
          trainable.get(r).get(i).value().set(new NDIndex(":"), moved);
        }
      }
    } finally {
      JniUtils.setGradMode(gradMode);
    }
  }

  /**
   * Checks that every copy still holds the lead's weights, by {@link WeightFingerprint}.
   *
   * @param step the optimizer steps done (for the message)
   * @throws IllegalStateException naming the replica and the first weight that differs
   */
  public void checkIdentical(long step) {
    WeightFingerprint lead = WeightFingerprint.of(models.get(0));
    for (int r = 1; r < models.size(); r++) {
      String difference = lead.firstDifference(WeightFingerprint.of(models.get(r)));
      if (difference != null) {
        throw new IllegalStateException(
            "replica "
                + r
                + " on "
                + models.get(r).device()
                + " no longer holds the lead's weights after step "
                + step
                + ": "
                + difference
                + "; data-parallel training went wrong (please report it with the config)");
      }
    }
    LOG.debug("step {}: the {} replicas hold identical weights", step, models.size());
  }

  /** Stops the threads and closes the copies (not the lead, which its owner closes). */
  @Override
  public void close() {
    for (ExecutorService t : threads) {
      t.shutdownNow();
    }
    for (int r = 1; r < models.size(); r++) {
      models.get(r).close();
    }
  }
}
