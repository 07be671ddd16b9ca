package io.github.lancesink.lance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lancesink.LanceSink;
import io.github.lancesink.LanceSinkException;
import io.github.lancesink.TestRows;
import io.github.lancesink.index.DistanceMetric;
import io.github.lancesink.index.VectorIndexType;
import io.github.lancesink.policy.OptimizePolicy;
import io.github.lancesink.spi.IndexSpec;
import io.github.lancesink.spi.IndexState;
import io.github.lancesink.spi.TableMaintenance;
import io.github.lancesink.spi.TableStats;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compaction and index builds split into tasks for {@link MaintenanceWorkers}, with workers that
 * push every task and result through Java serialization (as a cluster would), against the same
 * actions run in one JVM.
 */
class SplitMaintenanceTest {
  @TempDir Path dir;

  /** Runs tasks in this JVM, but only after a serialization round trip of task and result. */
  static final class SerializingWorkers implements MaintenanceWorkers {
    final List<String> actions = new ArrayList<>();
    final AtomicInteger tasks = new AtomicInteger();
    volatile boolean failNext;
    volatile boolean failAfterAll;

    @Override
    public <R extends Serializable> List<R> runAll(String action, List<? extends Task<R>> all) {
      actions.add(action);
      List<R> out = new ArrayList<>();
      for (Task<R> t : all) {
        if (failNext) {
          failNext = false;
          throw new IllegalStateException("injected worker failure");
        }
        tasks.incrementAndGet();
        out.add(roundTrip(roundTrip(t).run()));
      }
      if (failAfterAll) {
        failAfterAll = false;
        throw new IllegalStateException("injected: lost after every task ran");
      }
      return out;
    }

    @Override
    public int parallelism() {
      return 3;
    }
  }

  @SuppressWarnings("unchecked")
  static <T> T roundTrip(T o) {
    try {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      try (ObjectOutputStream out = new ObjectOutputStream(b)) {
        out.writeObject(o);
      }
      try (ObjectInputStream in = new ObjectInputStream(
          new ByteArrayInputStream(b.toByteArray()))) {
        return (T) in.readObject();
      }
    } catch (Exception e) {
      throw new AssertionError("not serializable: " + o.getClass(), e);
    }
  }

  private String fill(String name, int batches) throws Exception {
    String uri = dir.resolve(name).toString();
    try (RootAllocator alloc = new RootAllocator();
        LanceSink sink = LanceSink.builder().tableUri(uri).writerId("w").vectorColumn("vector", 16)
            .optimizePolicy(OptimizePolicy.never()).build()) {
      for (long b = 0; b < batches; b++) {
        try (ArrowReader r = TestRows.reader(alloc, b * 500, 500, 16)) {
          sink.write(b, r);
        }
      }
    }
    return uri;
  }

  @Test
  void splitCompactionMergeAndIndexBuildMatchTheSingleJvmActions() throws Exception {
    String local = fill("local.lance", 12);
    String split = fill("split.lance", 12);
    SerializingWorkers workers = new SerializingWorkers();
    IndexSpec spec = new IndexSpec("vector", "vector_idx", IndexState.Kind.VECTOR,
        VectorIndexType.IVF_SQ, 4, 0, DistanceMetric.L2);
    try (NativeLanceTable a = new NativeLanceTable(local, Map.of());
        NativeLanceTable b = new NativeLanceTable(split, Map.of(), workers)) {
      TableMaintenance ma = a.maintenance().orElseThrow();
      TableMaintenance mb = b.maintenance().orElseThrow();
      long v0 = b.latestVersion().orElseThrow();

      ma.compact(2000, 0.1);
      mb.compact(2000, 0.1);
      assertThat(workers.tasks.get()).isEqualTo(3); // Lance planned three groups of four
      assertThat(shape(mb.stats())).isEqualTo(shape(ma.stats()));
      assertThat(b.latestVersion().orElseThrow() - v0).isBetween(1L, 2L);
      assertThat(MaintenanceHarness.ids(b)).isEqualTo(MaintenanceHarness.ids(a));

      List<Long> frags = mb.stats().fragmentIds();
      ma.mergeFragments(ma.stats().fragmentIds().subList(0, 2));
      mb.mergeFragments(frags.subList(0, 2));
      assertThat(workers.tasks.get()).isEqualTo(4);
      assertThat(shape(mb.stats())).isEqualTo(shape(ma.stats()));

      ma.createIndex(spec);
      long before = b.latestVersion().orElseThrow();
      mb.createIndex(spec);
      assertThat(b.latestVersion().orElseThrow()).isEqualTo(before + 1); // one commit
      // train, two segments (one per fragment), merge: 4 tasks
      assertThat(workers.tasks.get()).isEqualTo(8);
      assertThat(mb.indices()).isEqualTo(ma.indices());
      assertThat(mb.indices()).singleElement().satisfies(i -> {
        assertThat(i.indexedRows()).isEqualTo(6000);
        assertThat(i.deltas()).isZero(); // one segment, as a single-JVM build
      });
      assertThat(mb.stats().unindexedRows()).isZero();
      assertThat(MaintenanceHarness.ids(b)).isEqualTo(MaintenanceHarness.ids(a));
    }
  }

  @Test
  void aFailedTaskOrALostCallerCommitsNothingAndTheNextRunReplans() throws Exception {
    String uri = fill("t.lance", 6);
    SerializingWorkers workers = new SerializingWorkers();
    try (NativeLanceTable t = new NativeLanceTable(uri, Map.of(), workers)) {
      long v0 = t.latestVersion().orElseThrow();
      workers.failNext = true;
      assertThatThrownBy(() -> t.maintenance().orElseThrow().compact(1_000_000, 0.1))
          .isInstanceOf(LanceSinkException.class).hasMessageContaining("injected");
      assertThat(t.latestVersion()).hasValue(v0);
      assertThat(t.maintenance().orElseThrow().stats().fragments()).isEqualTo(6);
      // every task ran and wrote its files, then the caller was lost before the commit
      workers.failAfterAll = true;
      assertThatThrownBy(() -> t.maintenance().orElseThrow().compact(1_000_000, 0.1))
          .isInstanceOf(LanceSinkException.class).hasMessageContaining("lost after");
      assertThat(workers.tasks.get()).isPositive();
      assertThat(t.latestVersion()).hasValue(v0);
      assertThat(t.maintenance().orElseThrow().stats().fragments()).isEqualTo(6);
      t.maintenance().orElseThrow().compact(1_000_000, 0.1); // re-planned from the table
      assertThat(t.maintenance().orElseThrow().stats().fragments()).isEqualTo(1);
      assertThat(MaintenanceHarness.ids(t)).hasSize(3000);
    }
  }

  private static List<Object> shape(TableStats s) {
    return List.of(s.fragments(), s.rows(), s.deletedRows(), s.fragmentRows());
  }
}
