package io.github.lancesink.policy;

/**
 * Which vector index {@link OptimizePolicy} builds.
 *
 * @since 0.1.0
 */
public enum VectorIndexType {
  /**
   * IVF_HNSW_SQ: in the optimize benchmark (2 busy cores, 128-d) it trained in about 23 s on
   * 100k rows where IVF_PQ with Lance's default training took 156 s, and it keeps recall high
   * without tuning. Choose IVF_PQ explicitly when index memory matters more than build time.
   */
  AUTO,
  /** Inverted file with product quantization: compact, fast to build, good recall with refine. */
  IVF_PQ,
  /** Inverted file with per-partition HNSW graphs over scalar-quantized vectors. */
  IVF_HNSW_SQ,
  /** Inverted file over raw vectors: exact within probed partitions, largest and slowest. */
  IVF_FLAT
}
