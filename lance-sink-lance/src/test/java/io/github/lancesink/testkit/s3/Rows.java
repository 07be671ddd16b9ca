package io.github.lancesink.testkit.s3;

import io.github.lancesink.testkit.TestBatch;
import java.io.IOException;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/** Arrow input (through the testkit's {@link TestBatch}) and id helpers for the S3 tests. */
final class Rows {
  private Rows() {}

  static Schema schema(int dim) {
    return TestBatch.empty(dim).schema();
  }

  /** A reader over one batch of ids [from, from+n); vector[i] = id + j/1000 (TestBatch rows). */
  static ArrowReader reader(BufferAllocator alloc, long from, int n, int dim) {
    return TestBatch.sequential(from, n, dim).open(alloc);
  }

  /** Every id in the table's latest version, sorted (duplicates kept). */
  static List<Long> ids(io.github.lancesink.spi.LanceTable table) throws IOException {
    List<Long> out = new java.util.ArrayList<>();
    try (ArrowReader scan = table.scan(java.util.OptionalLong.empty(), List.of("id"))) {
      while (scan.loadNextBatch()) {
        BigIntVector v = (BigIntVector) scan.getVectorSchemaRoot().getVector("id");
        for (int i = 0; i < v.getValueCount(); i++) {
          out.add(v.get(i));
        }
      }
    }
    java.util.Collections.sort(out);
    return out;
  }

  /** The ids from, from+1, ..., from+n-1. */
  static List<Long> range(long from, int n) {
    return java.util.stream.LongStream.range(from, from + n).boxed().toList();
  }
}
