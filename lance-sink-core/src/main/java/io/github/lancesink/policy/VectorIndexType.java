package io.github.lancesink.policy;

/**
 * Which vector index {@link OptimizePolicy} builds.
 *
 * @since 0.1.0
 */
public enum VectorIndexType {
  /**
   * IVF_PQ when the dimension is a multiple of 8 (product quantization needs equal sub-vectors),
   * otherwise IVF_HNSW_SQ, which has no divisibility constraint.
   */
  AUTO,
  /** Inverted file with product quantization: compact, fast to build, good recall with refine. */
  IVF_PQ,
  /** Inverted file with per-partition HNSW graphs over scalar-quantized vectors. */
  IVF_HNSW_SQ,
  /** Inverted file over raw vectors: exact within probed partitions, largest and slowest. */
  IVF_FLAT
}
