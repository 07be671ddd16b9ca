package io.github.lancesink.examples.deltacdf;

import java.io.Serializable;
import org.apache.spark.SparkContext;
import org.apache.spark.util.LongAccumulator;

/**
 * Counts the embedding stage's work with Spark accumulators, so the driver sees the executors'
 * numbers: rows embedded, rows passed through without embedding (deletes and pre-images), model
 * loads, and the time each executor spent embedding.
 *
 * <p>The time is the busy time of each executor JVM: the union of the intervals in which at
 * least one of its tasks was embedding, so that two tasks running side by side on one executor
 * are not counted twice. {@link #rowsPerExecutorSecond()} divides the rows by it: the embedding
 * throughput of one executor.
 *
 * @since 0.1.0
 */
final class EmbeddingMeter implements Serializable {
  private static final long serialVersionUID = 1L;

  // per JVM: how many tasks are embedding right now, and since when the JVM has been busy
  private static int active;
  private static long busySince;

  private final LongAccumulator embedded;
  private final LongAccumulator passedThrough;
  private final LongAccumulator busyNanos;
  private final LongAccumulator loads;
  private final LongAccumulator loadMillis;

  EmbeddingMeter(SparkContext sc) {
    this.embedded = sc.longAccumulator("embedding: rows embedded");
    this.passedThrough = sc.longAccumulator("embedding: rows passed through");
    this.busyNanos = sc.longAccumulator("embedding: executor busy ns");
    this.loads = sc.longAccumulator("embedding: model loads");
    this.loadMillis = sc.longAccumulator("embedding: model load ms");
  }

  /** Marks the start of one embedding call on this JVM. */
  static synchronized void begin() {
    if (active++ == 0) {
      busySince = System.nanoTime();
    }
  }

  /** Marks the end of a call started by {@link #begin}; returns the busy time it closed. */
  static synchronized long end() {
    if (--active > 0) {
      return 0; // another task is still embedding: the interval closes with the last one
    }
    return System.nanoTime() - busySince;
  }

  void countEmbedded(long busyNanosClosed) {
    embedded.add(1);
    busyNanos.add(busyNanosClosed);
  }

  void countPassedThrough() {
    passedThrough.add(1);
  }

  /** Records a model load of {@code millis}; a negative value means "already loaded". */
  void modelLoaded(long millis) {
    if (millis >= 0) {
      loads.add(1);
      loadMillis.add(millis);
    }
  }

  long embedded() {
    return embedded.value();
  }

  long passedThrough() {
    return passedThrough.value();
  }

  long loads() {
    return loads.value();
  }

  long loadMillis() {
    return loadMillis.value();
  }

  double busySeconds() {
    return busyNanos.value() / 1e9;
  }

  /** Rows embedded per second of executor busy time; 0 before anything was embedded. */
  double rowsPerExecutorSecond() {
    double s = busySeconds();
    return s <= 0 ? 0 : embedded() / s;
  }

  /** One line for the summary. */
  String summary(String modelId) {
    return String.format("Embedding (%s, on the executors): %,d changed rows embedded, %,d"
        + " deletes and pre-images passed through unembedded; %.0f rows/s per executor"
        + " (%.1f s busy); model loads: %d (one per executor JVM), %,d ms", modelId, embedded(),
        passedThrough(), rowsPerExecutorSecond(), busySeconds(), loads(), loadMillis());
  }
}
