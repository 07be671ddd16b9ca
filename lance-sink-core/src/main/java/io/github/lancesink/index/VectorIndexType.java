package io.github.lancesink.index;

/**
 * Which vector index {@link io.github.lancesink.policy.OptimizePolicy} builds.
 *
 * @since 0.1.0
 */
public enum VectorIndexType {
  /**
   * IVF_SQ: measured on 200k x 128-d rows on 2 cores, it builds in about 2.7 s, where IVF_PQ took
   * 68 s (codebook training) and IVF_HNSW_SQ 36 s, and HNSW's graph build also stalled a
   * concurrent writer in the same process for up to 4 s per batch. 8-bit scalar quantization
   * keeps recall high; a refine factor restores exact ordering.
   */
  AUTO,
  /**
   * Inverted file with product quantization: the smallest index, but codebook training makes
   * every build and retrain slow (minutes per million rows on small machines).
   */
  IVF_PQ,
  /**
   * Inverted file with per-partition HNSW graphs over scalar-quantized vectors: fast queries on
   * large partitions, but the graph build is CPU-heavy and, in background mode, slows batches
   * that commit while it runs. Prefer it with a separate maintenance job or large drivers.
   */
  IVF_HNSW_SQ,
  /** Inverted file over 8-bit scalar-quantized vectors: fast to build and refresh (AUTO). */
  IVF_SQ,
  /** Inverted file over raw vectors: exact within probed partitions, largest and slowest. */
  IVF_FLAT
}
