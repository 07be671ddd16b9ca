package io.github.lancesink.lance;

import io.github.lancesink.index.DistanceMetric;
import io.github.lancesink.index.VectorIndexType;
import io.github.lancesink.spi.IndexSpec;
import io.github.lancesink.spi.IndexState;
import java.util.List;
import org.lance.index.DistanceType;
import org.lance.index.IndexOptions;
import org.lance.index.IndexParams;
import org.lance.index.IndexType;
import org.lance.index.scalar.ScalarIndexParams;
import org.lance.index.vector.HnswBuildParams;
import org.lance.index.vector.IvfBuildParams;
import org.lance.index.vector.PQBuildParams;
import org.lance.index.vector.SQBuildParams;
import org.lance.index.vector.VectorIndexParams;

/** Lance's index options for an {@link IndexSpec}, for {@link NativeMaintenance#createIndex}. */
final class IndexOptionsFor {
  private IndexOptionsFor() {}

  /** A BTREE for a scalar spec, the spec's vector index otherwise; replaces a same-named one. */
  static IndexOptions spec(IndexSpec spec) {
    if (spec.kind() == IndexState.Kind.SCALAR) {
      return IndexOptions.builder(List.of(spec.column()), IndexType.BTREE,
              IndexParams.builder()
                  .setScalarIndexParams(ScalarIndexParams.create("btree")).build())
          .replace(true).withIndexName(spec.name()).build();
    }
    return IndexOptions.builder(List.of(spec.column()), indexType(spec),
            IndexParams.builder().setVectorIndexParams(vectorParams(spec)).build())
        .replace(true).withIndexName(spec.name()).build();
  }

  /**
   * Whether a build of {@code spec} can be split into fragment segments that share centroids
   * trained once (IVF_SQ and IVF_FLAT: each segment quantizes on its own). IVF_PQ would also need
   * one codebook trained on the residuals, and HNSW one graph per partition; both build in one
   * JVM.
   */
  static boolean splittable(IndexSpec spec) {
    return spec.kind() == IndexState.Kind.VECTOR
        && (spec.vectorType() == VectorIndexType.IVF_SQ
            || spec.vectorType() == VectorIndexType.IVF_FLAT);
  }

  /**
   * The options of one uncommitted segment of a split build: {@code spec}'s index over {@code
   * fragments} with the given centroids.
   */
  static IndexOptions segment(IndexSpec spec, float[] centroids, List<Integer> fragments) {
    if (!splittable(spec)) {
      throw new IllegalArgumentException(spec.vectorType() + " builds are not split");
    }
    VectorIndexParams.Builder p = new VectorIndexParams.Builder(ivf(spec, centroids))
        .setDistanceType(distance(spec.metric()));
    if (spec.vectorType() == VectorIndexType.IVF_SQ) {
      p.setSqParams(new SQBuildParams.Builder().build());
    }
    return IndexOptions.builder(List.of(spec.column()), indexType(spec),
            IndexParams.builder().setVectorIndexParams(p.build()).build())
        .withIndexName(spec.name()).withFragmentIds(fragments).build();
  }

  /** The IVF parameters of {@code spec}, with preset {@code centroids} unless null. */
  static IvfBuildParams ivf(IndexSpec spec, float[] centroids) {
    IvfBuildParams.Builder b = new IvfBuildParams.Builder().setNumPartitions(spec.partitions());
    if (centroids != null) {
      b.setCentroids(centroids);
    }
    return b.build();
  }

  private static IndexType indexType(IndexSpec spec) {
    return switch (spec.vectorType()) {
      case IVF_PQ -> IndexType.IVF_PQ;
      case IVF_HNSW_SQ -> IndexType.IVF_HNSW_SQ;
      case IVF_SQ -> IndexType.IVF_SQ;
      case IVF_FLAT -> IndexType.IVF_FLAT;
      case AUTO -> throw new IllegalArgumentException("AUTO must be resolved before the port");
    };
  }

  private static VectorIndexParams vectorParams(IndexSpec spec) {
    DistanceType distance = distance(spec.metric());
    IvfBuildParams ivf = new IvfBuildParams.Builder().setNumPartitions(spec.partitions()).build();
    return switch (spec.vectorType()) {
      // Lance's default PQ training: lighter training (10 iterations on 64 x 256 samples)
      // built 8x faster but cut recall@10 below 0.4 in the optimize benchmark.
      case IVF_PQ -> VectorIndexParams.withIvfPqParams(distance, ivf,
          new PQBuildParams.Builder().setNumSubVectors(spec.subVectors()).setNumBits(8).build());
      case IVF_HNSW_SQ -> VectorIndexParams.withIvfHnswSqParams(distance, ivf,
          new HnswBuildParams.Builder().build(), new SQBuildParams.Builder().build());
      case IVF_SQ -> new VectorIndexParams.Builder(ivf).setDistanceType(distance)
          .setSqParams(new SQBuildParams.Builder().build()).build();
      case IVF_FLAT -> VectorIndexParams.ivfFlat(spec.partitions(), distance);
      case AUTO -> throw new IllegalArgumentException("AUTO must be resolved before the port");
    };
  }

  static DistanceType distance(DistanceMetric metric) {
    return switch (metric == null ? DistanceMetric.L2 : metric) {
      case L2 -> DistanceType.L2;
      case COSINE -> DistanceType.Cosine;
      case DOT -> DistanceType.Dot;
    };
  }
}
