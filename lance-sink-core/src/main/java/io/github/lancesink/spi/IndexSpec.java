package io.github.lancesink.spi;

import io.github.lancesink.index.DistanceMetric;
import io.github.lancesink.index.VectorIndexType;
import java.util.Objects;

/**
 * What index to create (or replace) on one column.
 *
 * @param column the indexed column
 * @param name the index name
 * @param kind vector or scalar (BTREE)
 * @param vectorType the concrete vector index type (never {@code AUTO}); ignored for scalar
 * @param partitions IVF partitions; ignored for scalar
 * @param subVectors PQ sub-vectors; ignored unless {@code vectorType} is IVF_PQ
 * @param metric the distance the index is trained for; ignored for scalar
 * @since 0.1.0
 */
public record IndexSpec(
    String column,
    String name,
    IndexState.Kind kind,
    VectorIndexType vectorType,
    int partitions,
    int subVectors,
    DistanceMetric metric) {

  public IndexSpec {
    Objects.requireNonNull(column, "column");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    if (kind == IndexState.Kind.VECTOR && (vectorType == null || vectorType == VectorIndexType.AUTO
        || partitions < 1)) {
      throw new IllegalArgumentException(
          "a vector IndexSpec needs a concrete type and partitions >= 1, was " + vectorType + "/"
              + partitions);
    }
  }

  /** A BTREE index on {@code column}. */
  public static IndexSpec scalar(String column, String name) {
    return new IndexSpec(column, name, IndexState.Kind.SCALAR, null, 0, 0, null);
  }
}
