package io.github.lancesink.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.lance.Dataset;
import org.lance.ipc.LanceScanner;
import org.lance.ipc.ScanOptions;

/**
 * Probe, not run by surefire: ways to find the row addresses of random keys in a large table.
 * Run with {@code java -cp <test classpath> io.github.lancesink.bench.KeyLookupBench rows keys}.
 */
public final class KeyLookupBench {
  public static void main(String[] args) throws Exception {
    int rows = Integer.parseInt(args[0]);
    Path dir = Files.createTempDirectory("probe");
    String uri = dir.resolve("a.lance").toString();
    try (BufferAllocator alloc = new RootAllocator()) {
      KeyedRouteBench.create(alloc, uri, rows);
      try (Dataset ds = Dataset.open().allocator(alloc).uri(uri).build()) {
        Random rnd = new Random(3);
        int nkeys = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        for (int chunk : new int[] {-64, -256, -1024}) {
          boolean sorted = chunk < 0;
          chunk = Math.abs(chunk);
          for (int rep = 0; rep < 3; rep++) {
            long[] keys = rnd.longs(nkeys, 0, rows).toArray();
            if (sorted) {
              java.util.Arrays.sort(keys);
            }
            long t0 = System.nanoTime();
            long found = 0;
            for (int from = 0; from < keys.length; from += chunk) {
              StringBuilder f = new StringBuilder("id IN (");
              for (int i = from; i < Math.min(keys.length, from + chunk); i++) {
                f.append(i == from ? "" : ",").append(keys[i]);
              }
              f.append(')');
              found += count(ds, new ScanOptions.Builder()
                  .columns(List.of("id"))
                  .filter(f.toString()).withRowAddress(true).build());
            }
            System.out.printf("rows=%d keys=%d index chunk=%d sorted=%s: %.1f ms (%d found)%n",
                rows, nkeys, chunk, sorted, (System.nanoTime() - t0) / 1e6,
                found);
          }
        }
        for (int rep = 0; rep < 3; rep++) {
          Set<Long> keys = new HashSet<>();
          rnd.longs(nkeys, 0, rows).forEach(keys::add);
          long t0 = System.nanoTime();
          long found = 0;
          try (LanceScanner sc = ds.newScan(new ScanOptions.Builder().columns(List.of("id"))
              .withRowAddress(true).build()); ArrowReader r = sc.scanBatches()) {
            while (r.loadNextBatch()) {
              VectorSchemaRoot root = r.getVectorSchemaRoot();
              BigIntVector id = (BigIntVector) root.getVector("id");
              for (int i = 0; i < root.getRowCount(); i++) {
                if (keys.contains(id.get(i))) {
                  found++;
                }
              }
            }
          }
          System.out.printf("rows=%d java scan: %.1f ms (%d found)%n", rows,
              (System.nanoTime() - t0) / 1e6, found);
        }
      }
    }
  }

  static long count(Dataset ds, ScanOptions o) throws Exception {
    long n = 0;
    try (LanceScanner sc = ds.newScan(o); ArrowReader r = sc.scanBatches()) {
      while (r.loadNextBatch()) {
        n += r.getVectorSchemaRoot().getRowCount();
      }
    }
    return n;
  }
}
