package io.github.lancesink.internal.maintenance;

import io.github.lancesink.index.VectorIndexType;

/** How large a vector index is made for a row count. Pure functions. */
final class IndexSizing {
  private IndexSizing() {}

  /**
   * One IVF partition per 4,096 rows (Lance sizes partitions at a few thousand rows; k-means
   * cost grows with partitions x samples, so sqrt(rows) partitions made a 100k-row build take
   * minutes on 2 busy cores). HNSW graphs search large partitions well: one per 16,384 rows.
   */
  static int derivedPartitions(long rows, VectorIndexType type) {
    long perPartition = type == VectorIndexType.IVF_HNSW_SQ ? 16_384 : 4_096;
    return (int) Math.max(1, Math.min(rows / perPartition, 65_536));
  }
}
