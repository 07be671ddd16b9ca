package io.github.lancesink.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs the named benchmarks. Each prints a result table and writes it under
 * {@code benchmarks/results/}. Usage: {@code BenchMain append|ledger|keyed|all}.
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
    benches.put("optimize", OptimizeBench::run); // long: only when named, never part of "all"
    benches.put("keyed", KeyedBench::run);
    String which = args.length == 0 ? "all" : args[0];
    for (var e : benches.entrySet()) {
      boolean named = Arrays.asList(which.split(",")).contains(e.getKey());
      if (named || (which.equals("all") && !e.getKey().equals("optimize"))) {
        System.out.println("== benchmark: " + e.getKey());
        e.getValue().run();
      }
    }
  }
}
