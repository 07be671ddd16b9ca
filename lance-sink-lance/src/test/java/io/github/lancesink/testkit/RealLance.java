package io.github.lancesink.testkit;

import org.apache.arrow.memory.RootAllocator;
import org.lance.Dataset;
import org.lance.cleanup.CleanupPolicy;

/** Maintenance straight on a real Lance dataset, bypassing the port (as other tools would). */
final class RealLance {
  private RealLance() {}

  /** Runs Lance's own compaction on the dataset at {@code uri}. */
  static void compact(String uri) {
    try (RootAllocator a = new RootAllocator(); Dataset ds = open(uri, a)) {
      ds.compact();
    }
  }

  /** Removes every version but the newest {@code keepLast}. */
  static void cleanup(String uri, int keepLast) {
    try (RootAllocator a = new RootAllocator(); Dataset ds = open(uri, a)) {
      long before = ds.version() - keepLast + 1;
      ds.cleanupWithPolicy(CleanupPolicy.builder().withBeforeVersion(before).build());
    }
  }

  private static Dataset open(String uri, RootAllocator a) {
    return Dataset.open().uri(uri).allocator(a).build();
  }
}
