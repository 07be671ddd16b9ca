package io.github.lancesink.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs the named benchmarks. Each prints a result table and writes it under
 * {@code benchmarks/results/}. Usage: {@code BenchMain <names>|all} with names (comma-separated)
 * append, ledger, keyed, spark-throughput, spark-memory, spark-freshness, optimize and
 * maintenance-distributed (these two only when named).
 */
public final class BenchMain {
  private BenchMain() {}

  /** A runnable benchmark. */
  interface Bench {
    void run() throws Exception;
  }

  public static void main(String[] args) throws Exception {
    Map<String, Bench> benches = new LinkedHashMap<>();
    benches.put("append", AppendBench::run);
    benches.put("ledger", LedgerBench::run);
    benches.put("spark-throughput", SparkThroughputBench::run);
    benches.put("spark-memory", SparkDriverMemoryBench::run);
    benches.put("spark-freshness", SparkFreshnessBench::run);
    benches.put("optimize", OptimizeBench::run); // long: only when named, never part of "all"
    benches.put("keyed", KeyedBench::run);
    // distributed maintenance against driver mode: only when named
    benches.put("maintenance-distributed", MaintenanceDistributedBench::run);
    String which = args.length == 0 ? "all" : args[0];
    for (var e : benches.entrySet()) {
      boolean named = Arrays.asList(which.split(",")).contains(e.getKey());
      boolean onlyNamed = e.getKey().equals("optimize")
          || e.getKey().equals("maintenance-distributed");
      if (named || (which.equals("all") && !onlyNamed)) {
        System.out.println("== benchmark: " + e.getKey());
        e.getValue().run();
      }
    }
  }
}
