package io.rge.core;

import ai.djl.Device;
import ai.djl.engine.Engine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prepares DJL before its first use: offline, no usage tracking, the PyTorch engine.
 *
 * <p>DJL reads {@code ai.djl.offline} and {@code OPT_OUT_TRACKING} as system properties when the
 * engine loads. Without the first it may download native libraries; without the second it calls a
 * cloud metadata address at start-up. Every entry point that touches DJL goes through {@link
 * #get()} so that both are set before the engine class initialises.
 */
public final class DjlEngine {
  private static final Logger LOG = LoggerFactory.getLogger(DjlEngine.class);
  private static volatile Engine engine;

  private DjlEngine() {}

  /** The PyTorch engine, prepared offline; logs the engine, its version and device once. */
  public static Engine get() {
    Engine e = engine;
    if (e == null) {
      synchronized (DjlEngine.class) {
        e = engine;
        if (e == null) {
          prepareOffline();
          e = Engine.getEngine("PyTorch");
          LOG.info(
              "DJL {} engine {} {} on {} (offline={})",
              Engine.getDjlVersion(),
              e.getEngineName(),
              e.getVersion(),
              e.defaultDevice(),
              isOffline());
          engine = e;
        }
      }
    }
    return e;
  }

  /** Sets the properties DJL reads at start-up; harmless to call more than once. */
  public static void prepareOffline() {
    System.setProperty("ai.djl.offline", "true");
    System.setProperty("OPT_OUT_TRACKING", "true");
  }

  public static boolean isOffline() {
    return Boolean.getBoolean("ai.djl.offline");
  }

  /**
   * Resolves a device choice: {@code cpu}, {@code gpu} (the first GPU; an error if there is none)
   * or {@code auto} (a GPU when one is visible to the engine, else the CPU).
   */
  public static Device device(DeviceChoice choice) {
    Engine e = get();
    return switch (choice) {
      case CPU -> Device.cpu();
      case GPU -> {
        if (e.getGpuCount() == 0) {
          throw new IllegalStateException(
              "device 'gpu' was requested but the "
                  + e.getEngineName()
                  + " engine sees no GPU; install a CUDA build of libtorch "
                  + "(see README, 'Using a GPU') or choose device 'cpu'");
        }
        yield Device.gpu();
      }
      case AUTO -> e.getGpuCount() > 0 ? Device.gpu() : Device.cpu();
    };
  }
}
