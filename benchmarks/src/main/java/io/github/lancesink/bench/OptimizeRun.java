package io.github.lancesink.bench;

import io.github.lancesink.spi.TableStats;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** What one stream (one policy, one run) of the optimize benchmark measured. */
final class OptimizeRun {
  final String name;
  /** Per batch, read by {@link TableProbe} right after the batch's commit. */
  final long[] fragments;
  final long[] unindexed; // all rows while there is no vector index
  final int[] segments; // -1 while there is no vector index
  final double[] writeMs; // time inside sink.write
  final double[] commitMs;
  final double[] probeMs;
  final List<Window> windows = new java.util.ArrayList<>();
  double streamSeconds;
  /** The first batch after which the vector index existed, or -1. */
  int indexedFrom = -1;
  /** Maintenance runs and seconds per action (successful and failed runs). */
  final Map<String, double[]> maintenance = new ConcurrentSkipListMap<>();
  final AtomicInteger commitRetries = new AtomicInteger();
  final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong stallNanos = new AtomicLong();
  private final AtomicInteger stalls = new AtomicInteger();
  private final AtomicInteger stops = new AtomicInteger();
  double settledP99 = Double.NaN;
  double settledSeconds = Double.NaN;
  TableStats settled;

  /** Per window of batches. */
  static final class Window {
    int end;
    long version;
    long peakFragments;
    long peakUnindexed = -1; // once the vector index exists
    int peakSegments = -1;
    double writeSeconds;
    double stallSeconds;
    double commitP50;
    double commitP99;
    double queryP50;
    double queryP99;
    double recall = Double.NaN;
    double fresh = Double.NaN; // query p99 of a freshly rebuilt copy, where one was built
    List<List<Long>> ids;

    void add(TableProbe.Shape s, double writeMs) {
      peakFragments = Math.max(peakFragments, s.fragments());
      if (s.indexed()) {
        peakUnindexed = Math.max(peakUnindexed, s.unindexed());
        peakSegments = Math.max(peakSegments, s.segments());
      }
      writeSeconds += writeMs / 1e3;
    }
  }

  OptimizeRun(String name, int batches) {
    this.name = name;
    fragments = new long[batches];
    unindexed = new long[batches];
    segments = new int[batches];
    writeMs = new double[batches];
    commitMs = new double[batches];
    probeMs = new double[batches];
  }

  void record(int batch, TableProbe.Shape s) {
    fragments[batch] = s.fragments();
    unindexed[batch] = s.unindexed();
    if (s.indexed() && indexedFrom < 0) {
      indexedFrom = batch;
    }
    segments[batch] = s.segments();
  }

  void maintenanceRan(String action, double seconds) {
    double[] t = maintenance.computeIfAbsent(action, k -> new double[2]);
    synchronized (t) {
      t[0] += 1;
      t[1] += seconds;
    }
  }

  void stalled(Duration d, boolean stop) {
    stalls.incrementAndGet();
    if (stop) {
      stops.incrementAndGet();
    }
    stallNanos.addAndGet(d == null ? 0 : d.toNanos());
  }

  double stallSeconds() {
    return stallNanos.get() / 1e9;
  }

  int stalls() {
    return stalls.get();
  }

  /** Stalls where the write waited for maintenance (the stop bound), not a slowdown. */
  int stops() {
    return stops.get();
  }

  double writeSeconds() {
    double s = 0;
    for (double ms : writeMs) {
      s += ms / 1e3;
    }
    return s;
  }

  /** The largest value from batch {@code from} on (-1 when from is negative or past the end). */
  static long max(long[] xs, int from) {
    long m = -1;
    for (int i = Math.max(0, from); from >= 0 && i < xs.length; i++) {
      m = Math.max(m, xs[i]);
    }
    return m;
  }

  /** Batches from {@code from} on whose value exceeds {@code bound} (-1 when from < 0). */
  static long over(long[] xs, int from, long bound) {
    long n = from < 0 ? -1 : 0;
    for (int i = Math.max(0, from); from >= 0 && i < xs.length; i++) {
      n += xs[i] > bound ? 1 : 0;
    }
    return n;
  }

  static long[] widen(int[] xs) {
    long[] out = new long[xs.length];
    for (int i = 0; i < xs.length; i++) {
      out[i] = xs[i];
    }
    return out;
  }

  /** The first record component of {@code type} (and {@code name}, if not null), or null. */
  static <T> T component(Object event, Class<T> type, String name) {
    RecordComponent[] parts = event.getClass().getRecordComponents();
    if (parts == null) {
      return null;
    }
    for (RecordComponent c : parts) {
      boolean boxed = type == Boolean.class && c.getType() == boolean.class;
      if ((c.getType() == type || boxed) && (name == null || c.getName().equals(name))) {
        try {
          return type.cast(c.getAccessor().invoke(event));
        } catch (ReflectiveOperationException e) {
          return null;
        }
      }
    }
    return null;
  }
}
