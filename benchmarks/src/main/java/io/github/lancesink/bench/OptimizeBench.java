package io.github.lancesink.bench;

import io.github.lancesink.BatchResult;
import io.github.lancesink.LanceSink;
import io.github.lancesink.event.SinkEvent;
import io.github.lancesink.policy.OptimizePolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;

/**
 * The optimize cadence under a stream, {@code OptimizePolicy.defaults()} against {@code never()}
 * in the same JVM, in two modes: {@code paced} (one batch every intervalMs) and {@code
 * backtoback} (no pause: a catch-up or a backlog). After EVERY batch the table's fragments,
 * unindexed rows and vector-index segments are read with {@link TableProbe}; per window of W
 * batches: peaks, stall time, time inside {@code sink.write}, commit p50/p99, ANN query p50/p99,
 * recall@10 against exact search, and query p99 against a freshly compacted and indexed copy
 * of the same rows. See {@link OptimizeSettings} for the properties.
 */
final class OptimizeBench {
  private OptimizeBench() {}

  static void run() throws Exception {
    String modes = System.getProperty("bench.optimize.mode", "both");
    List<String> list = modes.equals("both") ? List.of("paced", "backtoback") : List.of(modes);
    List<OptimizeSettings> settings = list.stream().map(OptimizeSettings::of).toList();
    Map<String, List<OptimizeRun[]>> runs = new HashMap<>();
    int most = settings.stream().mapToInt(OptimizeSettings::runs).max().orElse(1);
    for (int i = 0; i < most; i++) { // run-major: every mode gets its first run first
      for (OptimizeSettings s : settings) {
        if (i < s.runs()) {
          System.out.println("== optimize run " + (i + 1) + ": " + s);
          List<OptimizeRun[]> done = runs.computeIfAbsent(s.mode(), m -> new ArrayList<>());
          done.add(once(s));
          OptimizeReport.write(s, done); // after every run, so a cut-short session keeps results
        }
      }
    }
  }

  /** One run: the default policy, then never(), then truth and fresh baselines per window. */
  static OptimizeRun[] once(OptimizeSettings s) throws Exception {
    Path work = Files.createTempDirectory("lance-sink-optimize-bench");
    Clusters data = new Clusters(s.dim(), 7);
    List<float[]> qs = new ArrayList<>();
    for (int q = 0; q < s.queries(); q++) {
      qs.add(data.query(q));
    }
    try {
      // warm-up (JIT, the native library, file caches), so the first policy does not pay it
      OptimizeSettings warm = new OptimizeSettings(s.mode(), Math.min(20, s.batches()), s.rows(),
          s.dim(), s.window(), 0, s.queries(), 1, 1, 0, 0, 0);
      stream("warmup", OptimizePolicy.never(), work, data, qs, warm);
      AppendBench.deleteTree(work.resolve("warmup.lance"));
      OptimizeRun def = stream("default", OptimizePolicy.defaults(), work, data, qs, s);
      OptimizeRun never = stream("never", OptimizePolicy.never(), work, data, qs, s);
      String neverUri = work.resolve("never.lance").toString();
      // never() keeps every version and commits one per batch, so each window's rows can be
      // read back exactly: ground truth, and a freshly rebuilt copy for the query baseline
      for (int w = 0; w < never.windows.size(); w++) {
        long version = never.windows.get(w).version;
        List<Set<Long>> truth = OptimizeQueries.exact(neverUri, version, qs);
        for (OptimizeRun r : List.of(def, never)) {
          OptimizeRun.Window win = r.windows.get(w);
          win.recall = OptimizeQueries.recall(win.ids, truth);
          win.ids = null;
        }
        if (s.freshAt(w, never.windows.size())) {
          double fresh = OptimizeQueries.freshP99(neverUri, version, work.resolve("fresh-" + w),
              qs);
          System.out.printf("fresh baseline at batch %d: query p99 %.1f ms%n",
              never.windows.get(w).end, fresh);
          def.windows.get(w).fresh = fresh;
          never.windows.get(w).fresh = fresh;
        }
      }
      return new OptimizeRun[] {def, never};
    } finally {
      AppendBench.deleteTree(work); // full-size tables take several GB
    }
  }

  private static OptimizeRun stream(String name, OptimizePolicy policy, Path work, Clusters data,
      List<float[]> qs, OptimizeSettings s) throws Exception {
    OptimizeRun run = new OptimizeRun(name, s.batches());
    String uri = work.resolve(name + ".lance").toString();
    boolean trace = Boolean.getBoolean("bench.optimize.trace");
    List<Double> windowCommits = new ArrayList<>();
    try (BufferAllocator alloc = new RootAllocator();
        LanceSink sink = LanceSink.builder().tableUri(uri).writerId("bench")
            .vectorColumn("vector", data.dim).optimizePolicy(policy).build();
        TableProbe probe = new TableProbe(uri)) {
      listen(sink, run, trace);
      long streamStart = System.nanoTime();
      long pausedNanos = 0; // window queries: the pacing schedule moves past them
      OptimizeRun.Window win = new OptimizeRun.Window();
      double stallAtWindowStart = 0;
      for (int b = 0; b < s.batches(); b++) {
        long due = streamStart + pausedNanos + b * s.intervalMs() * 1_000_000L;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
        }
        long version;
        try (VectorSchemaRoot root = data.batch(alloc, (long) b * s.rows(), s.rows(), b);
            ArrowReader reader = BenchData.readerOf(root, alloc)) {
          long t0 = System.nanoTime();
          BatchResult r = sink.write(b, reader);
          run.writeMs[b] = (System.nanoTime() - t0) / 1e6;
          run.commitMs[b] = r.commitDuration().toNanos() / 1e6;
          version = r.version().orElse(-1);
        }
        long p0 = System.nanoTime();
        TableProbe.Shape shape = probe.read();
        run.probeMs[b] = (System.nanoTime() - p0) / 1e6;
        run.record(b, shape);
        win.add(shape, run.writeMs[b]);
        windowCommits.add(run.commitMs[b]);
        if ((b + 1) % s.window() == 0 || b + 1 == s.batches()) {
          long q0 = System.nanoTime();
          double[] lat = new double[qs.size()];
          win.ids = OptimizeQueries.search(uri, qs, lat);
          double[] c = windowCommits.stream().mapToDouble(Double::doubleValue).toArray();
          win.end = b + 1;
          win.version = version;
          win.commitP50 = Results.percentile(c, 50);
          win.commitP99 = Results.percentile(c, 99);
          win.queryP50 = Results.percentile(lat, 50);
          win.queryP99 = Results.percentile(lat, 99);
          double stall = run.stallSeconds();
          win.stallSeconds = stall - stallAtWindowStart;
          stallAtWindowStart = stall;
          run.windows.add(win);
          System.out.printf("%s batch %d: fragments %d (peak %d), unindexed %d (peak %d),"
              + " segments %d, stall %.2f s, commit p50 %.1f p99 %.1f ms, query p99 %.1f ms%n",
              name, b + 1, shape.fragments(), win.peakFragments, shape.unindexed(),
              win.peakUnindexed, shape.segments(), win.stallSeconds, win.commitP50,
              win.commitP99, win.queryP99);
          win = new OptimizeRun.Window();
          windowCommits.clear();
          pausedNanos += System.nanoTime() - q0;
        }
      }
      run.streamSeconds = (System.nanoTime() - streamStart - pausedNanos) / 1e9;
      if (policy.enabled()) {
        settle(run, sink, uri, qs);
      }
    }
    return run;
  }

  private static void listen(LanceSink sink, OptimizeRun run, boolean trace) {
    sink.events().on(SinkEvent.MaintenancePlanned.class,
        e -> run.inFlight.addAndGet(e.actions().size()));
    sink.events().on(SinkEvent.MaintenanceDeferred.class, e -> {
      if (e.retryAt().isEmpty()) {
        run.inFlight.decrementAndGet(); // budget or version bound: it did not run
      }
    });
    sink.events().on(SinkEvent.RetryScheduled.class, e -> run.commitRetries.incrementAndGet());
    sink.events().on(SinkEvent.MaintenanceRan.class, e -> {
      run.inFlight.decrementAndGet();
      if (trace) {
        System.out.printf("maintenance %s %s %d ms: %s%n", run.name, e.action(),
            e.took().toMillis(), e.detail());
      }
      run.maintenanceRan(e.action(), e.took().toNanos() / 1e9);
    });
    // write stalls: counted by the event's simple name, so this compiles before and after
    // the runtime that publishes them exists; the first Duration component is the stall time
    // and a boolean component "stopped" marks a write that waited at the stop bound
    sink.events().onEvent(e -> {
      if (e.getClass().getSimpleName().equals("WriteStalled")) {
        run.stalled(OptimizeRun.component(e, Duration.class, null),
            Boolean.TRUE.equals(OptimizeRun.component(e, Boolean.class, "stopped")));
        if (trace) {
          System.out.println("stall " + run.name + ": " + e);
        }
      }
    });
  }

  /** Waits until the actions planned after the last batch ran, then queries once more. */
  private static void settle(OptimizeRun run, LanceSink sink, String uri, List<float[]> qs)
      throws Exception {
    long end = System.nanoTime();
    long limit = Long.getLong("bench.optimize.settleSeconds", 120) * 1_000_000_000L;
    int idle = 0;
    while (idle < 20 && System.nanoTime() - end < limit) {
      idle = run.inFlight.get() <= 0 ? idle + 1 : 0;
      Thread.sleep(100);
    }
    run.settledSeconds = (System.nanoTime() - end) / 1e9;
    run.settled = sink.table().maintenance().orElseThrow().stats();
    double[] lat = new double[qs.size()];
    OptimizeQueries.search(uri, qs, lat);
    run.settledP99 = Results.percentile(lat, 99);
  }
}
