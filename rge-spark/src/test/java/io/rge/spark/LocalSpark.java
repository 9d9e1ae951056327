package io.rge.spark;

import org.apache.spark.sql.SparkSession;

/**
 * One local[2] session for every test class of this module (they run in one JVM): Spark takes
 * seconds to start. Spark's own shutdown hook stops it when the JVM exits.
 */
final class LocalSpark {
  private static SparkSession session;

  private LocalSpark() {}

  static synchronized SparkSession get() {
    if (session == null) {
      session =
          SparkSession.builder()
              .master("local[2]")
              .appName("rge-spark tests")
              .config("spark.ui.enabled", "false")
              .config("spark.sql.shuffle.partitions", "2")
              .config("spark.driver.host", "127.0.0.1")
              .config("spark.driver.bindAddress", "127.0.0.1")
              .getOrCreate();
    }
    return session;
  }
}
