package io.github.lancesink.index;

/**
 * The distance the vector index is trained for; queries should use the same.
 *
 * @since 0.1.0
 */
public enum DistanceMetric {
  /** Euclidean distance. */
  L2,
  /** Cosine distance. */
  COSINE,
  /** Negative dot product. */
  DOT
}
