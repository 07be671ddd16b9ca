package io.github.lancesink.lance;

import io.github.lancesink.index.DistanceMetric;
import io.github.lancesink.index.VectorIndexType;
import io.github.lancesink.internal.Redactor;
import io.github.lancesink.spi.IndexSpec;
import io.github.lancesink.spi.IndexState;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.arrow.memory.RootAllocator;
import org.lance.Dataset;
import org.lance.ReadOptions;
import org.lance.compaction.CompactionMode;
import org.lance.compaction.CompactionOptions;
import org.lance.compaction.CompactionTask;
import org.lance.compaction.RewriteResult;
import org.lance.compaction.TaskData;
import org.lance.index.Index;
import org.lance.index.IndexType;
import org.lance.index.vector.VectorTrainer;

/**
 * The self-contained tasks {@link SplitMaintenance} hands to {@link MaintenanceWorkers}. Each
 * opens the table at the planned version with its own allocator, does its piece and returns
 * metadata. Lance's own {@code CompactionTask} is Serializable, but in 7.0.0 its options do not
 * survive Java serialization once a compaction mode is set (written as a String, read back as
 * the enum: ClassCastException), so tasks carry the option values and rebuild it where they run.
 */
final class SplitTasks {
  private SplitTasks() {}

  /** Where the table is. The storage options travel with the task and are never printed. */
  record Location(String uri, Map<String, String> storageOptions) implements Serializable {
    Location {
      storageOptions = Map.copyOf(storageOptions);
    }

    /** Runs {@code op} on a handle at {@code version}, closing the handle and its allocator. */
    <R> R at(long version, java.util.function.Function<Dataset, R> op) {
      try (RootAllocator allocator = new RootAllocator(Long.MAX_VALUE);
          Dataset ds = Dataset.open().allocator(allocator).uri(uri).readOptions(
              new ReadOptions.Builder().setVersion(version).setStorageOptions(storageOptions)
                  .build()).build()) {
        return op.apply(ds);
      }
    }

    @Override
    public String toString() {
      return Redactor.uri(uri);
    }
  }

  /**
   * Compaction options as plain values: rows per output fragment, and the deleted fraction above
   * which deletions are materialized (negative: Lance's default threshold).
   */
  record Compaction(long targetRows, float deletedRatio) implements Serializable {
    CompactionOptions options() {
      // binary copy moves encoded pages instead of decoding and re-encoding them
      CompactionOptions.Builder o = CompactionOptions.builder()
          .withTargetRowsPerFragment(targetRows)
          .withCompactionMode(CompactionMode.TRY_BINARY_COPY)
          .withMaterializeDeletions(true);
      if (deletedRatio > 0) {
        o.withMaterializeDeletionsThreshold(deletedRatio);
      }
      return o.build();
    }
  }

  /** Rewrites one group of fragments (a Lance compaction task) and returns the rewrite. */
  record Rewrite(Location table, TaskData fragments, long readVersion, Compaction options)
      implements MaintenanceWorkers.Task<RewriteResult> {
    @Override
    public RewriteResult run() {
      return table.at(readVersion, ds ->
          new CompactionTask(fragments, readVersion, options.options()).execute(ds));
    }
  }

  /** A vector {@link IndexSpec} as serializable values. */
  record Spec(String column, String name, VectorIndexType type, int partitions, int subVectors,
      DistanceMetric metric) implements Serializable {
    static Spec of(IndexSpec s) {
      return new Spec(s.column(), s.name(), s.vectorType(), s.partitions(), s.subVectors(),
          s.metric());
    }

    IndexSpec spec() {
      return new IndexSpec(column, name, IndexState.Kind.VECTOR, type, partitions, subVectors,
          metric);
    }
  }

  /** Trains the IVF centroids once, on a sample, as the single-JVM build does. */
  record Train(Location table, long version, Spec spec)
      implements MaintenanceWorkers.Task<float[]> {
    @Override
    public float[] run() {
      return table.at(version, ds -> VectorTrainer.trainIvfCentroids(ds, spec.column(),
          IndexOptionsFor.ivf(spec.spec(), null), IndexOptionsFor.distance(spec.metric())));
    }
  }

  /** Builds one uncommitted index segment over {@code fragments} with the shared centroids. */
  record Segment(Location table, long version, Spec spec, float[] centroids,
      List<Integer> fragments) implements MaintenanceWorkers.Task<SegmentMeta> {
    @Override
    public SegmentMeta run() {
      return table.at(version, ds -> SegmentMeta.of(
          ds.createIndex(IndexOptionsFor.segment(spec.spec(), centroids, fragments))));
    }
  }

  /** Merges uncommitted segments into one, so the committed index has one segment. */
  record Merge(Location table, long version, List<SegmentMeta> segments)
      implements MaintenanceWorkers.Task<SegmentMeta> {
    @Override
    public SegmentMeta run() {
      return table.at(version, ds -> SegmentMeta.of(ds.mergeExistingIndexSegments(
          segments.stream().map(SegmentMeta::index).toList())));
    }
  }

  /** Lance's {@link Index} (not Serializable) as values, and back. */
  record SegmentMeta(String uuid, List<Integer> fields, String name, long datasetVersion,
      List<Integer> fragments, byte[] details, int indexVersion, Instant createdAt,
      Integer baseId, String indexType) implements Serializable {
    static SegmentMeta of(Index i) {
      return new SegmentMeta(i.uuid().toString(), List.copyOf(i.fields()), i.name(),
          i.datasetVersion(), i.fragments().map(List::copyOf).orElse(null),
          i.indexDetails().orElse(null), i.indexVersion(), i.createdAt().orElse(null),
          i.baseId().orElse(null), i.indexType() == null ? null : i.indexType().name());
    }

    Index index() {
      Index.Builder b = Index.builder().uuid(UUID.fromString(uuid)).fields(fields).name(name)
          .datasetVersion(datasetVersion).indexVersion(indexVersion);
      if (fragments != null) {
        b.fragments(fragments);
      }
      if (details != null) {
        b.indexDetails(details);
      }
      if (createdAt != null) {
        b.createdAt(createdAt);
      }
      if (baseId != null) {
        b.baseId(baseId);
      }
      if (indexType != null) {
        b.indexType(IndexType.valueOf(indexType));
      }
      return b.build();
    }

    long coveredFragments() {
      return fragments == null ? 0 : fragments.size();
    }
  }
}
