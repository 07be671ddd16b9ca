package io.github.lancesink.testkit.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.lancesink.CommitStateUnknownException;
import io.github.lancesink.lance.NativeLanceTable;
import io.github.lancesink.spi.IndexSpec;
import io.github.lancesink.spi.LanceTable;
import io.github.lancesink.spi.StagedFragments;
import io.github.lancesink.testkit.s3.ObjectStoreFaults.Fault;
import io.github.lancesink.testkit.s3.ObjectStoreFaults.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The real port's commits outside the data path (revert, config, compaction, index builds) on
 * {@code s3://} with the default storage options: a lost reply is reconciled by reading the
 * table, never re-sent by the object-store client (which would make Lance commit twice), and a
 * reconcile that cannot read fails closed.
 */
class S3MetadataCommitTest {
  @RegisterExtension static final S3ProxyExtension S3 = S3ProxyExtension.builder().build();

  private static final String MANIFESTS = "_versions/";
  private final RootAllocator alloc = new RootAllocator();
  private final List<LanceTable> opened = new ArrayList<>();

  @AfterEach
  void close() {
    S3.faults().clear();
    opened.forEach(LanceTable::close);
    alloc.close();
  }

  private LanceTable open(TestInfo info) {
    LanceTable t = new NativeLanceTable(
        S3.uri(info.getTestMethod().orElseThrow().getName() + ".lance"), S3.storageOptions());
    opened.add(t);
    return t;
  }

  private long append(LanceTable t, long from, Map<String, String> props) throws Exception {
    StagedFragments staged;
    try (ArrowReader r = Rows.reader(alloc, from, 10, 8)) {
      staged = t.writeFragments(r);
    }
    return t.commitAppend(t.latestVersion().orElseThrow(), List.of(staged), props);
  }

  /**
   * Purpose: the revert of a duplicate append is committed once when its reply is lost. Steps:
   * two appends (ids 0..9, then 100..109); lose the reply to the next manifest upload; revert
   * the second append. Pass: revertAppend returns the next version, no further version exists,
   * only ids 0..9 remain.
   */
  @Test
  void lostReplyOnARevertIsReconciled(TestInfo info) throws Exception {
    LanceTable t = open(info);
    t.createIfAbsent(Rows.schema(8));
    append(t, 0, Map.of("who", "first"));
    long dup = append(t, 100, Map.of("who", "second"));
    S3.faults().fail(Operation.PUT, MANIFESTS, Fault.SLOW_DOWN_AFTER_SUCCESS, 1);
    long revert = t.revertAppend(dup, Map.of("lancesink.revert.of-version", Long.toString(dup)));
    assertThat(S3.faults().injectedCount()).isEqualTo(1);
    assertThat(revert).isEqualTo(dup + 1);
    assertThat(t.latestVersion()).hasValue(dup + 1);
    assertThat(Rows.ids(t)).isEqualTo(Rows.range(0, 10));
  }

  /**
   * Purpose: a config upsert whose reply is lost and whose reconcile cannot read (every GET and
   * LIST fails) fails closed, and committed exactly once. Steps: create; lose the reply to the
   * next manifest upload and from then on fail reads; upsert a key; end the outage. Pass:
   * CommitStateUnknownException naming the URI; afterwards the key is in the config and one
   * version was added.
   */
  @Test
  void configUpsertWhoseReconcileCannotReadFailsClosed(TestInfo info) throws Exception {
    LanceTable t = open(info);
    t.createIfAbsent(Rows.schema(8));
    long before = t.latestVersion().orElseThrow();
    S3.faults().beforeNext(Operation.PUT, MANIFESTS, () -> S3.faults()
        .failAlways(Operation.LIST, "", Fault.SERVICE_UNAVAILABLE)
        .failAlways(Operation.GET, "", Fault.SERVICE_UNAVAILABLE));
    S3.faults().fail(Operation.PUT, MANIFESTS, Fault.SLOW_DOWN_AFTER_SUCCESS, 1);
    Throwable failure = catchThrowable(() -> t.updateConfig(Map.of("k", "v")));
    S3.faults().clear();
    assertThat(failure).isInstanceOf(CommitStateUnknownException.class)
        .hasMessageContaining(S3.uri(info.getTestMethod().orElseThrow().getName() + ".lance"))
        .hasMessageContaining("updateConfig");
    assertThat(t.config()).containsEntry("k", "v");
    assertThat(t.latestVersion()).hasValue(before + 1);
  }

  private LanceTable threeFragments(TestInfo info) throws Exception {
    LanceTable t = open(info);
    t.createIfAbsent(Rows.schema(8));
    for (int i = 0; i < 3; i++) {
      append(t, i * 10, Map.of());
    }
    return t;
  }

  /**
   * Purpose: a compaction whose reply is lost is found in the table and reported as done, and
   * committed once. Lance 7.0.0 compaction commits twice: ReserveFragments, then the Rewrite.
   * Steps: three appends of 10 rows; lose the reply to the second manifest upload (the
   * Rewrite); compact. Pass: no exception, exactly two new versions, one fragment, ids intact.
   */
  @Test
  void lostReplyOnACompactionIsReconciled(TestInfo info) throws Exception {
    LanceTable t = threeFragments(info);
    long before = t.latestVersion().orElseThrow();
    S3.faults().beforeNext(Operation.PUT, MANIFESTS, () -> S3.faults().beforeNext(
        Operation.PUT, MANIFESTS, () -> S3.faults()
            .fail(Operation.PUT, MANIFESTS, Fault.SLOW_DOWN_AFTER_SUCCESS, 1)));
    t.maintenance().orElseThrow().compact(1_000_000, 0);
    assertThat(S3.faults().injectedCount()).isEqualTo(1);
    assertThat(t.latestVersion()).hasValue(before + 2);
    assertThat(t.maintenance().orElseThrow().stats().fragments()).isEqualTo(1);
    assertThat(Rows.ids(t)).isEqualTo(Rows.range(0, 30));
  }

  /**
   * Purpose: the reconcile tells a compaction that did not land from one that did. Steps: three
   * appends; lose the reply to the first manifest upload (ReserveFragments), so the Rewrite is
   * never sent; compact; compact again. Pass: the first compaction fails as retryable with the
   * three fragments untouched; the second one compacts them into one.
   */
  @Test
  void lostReplyBeforeTheRewriteReportsNothingCompacted(TestInfo info) throws Exception {
    LanceTable t = threeFragments(info);
    S3.faults().fail(Operation.PUT, MANIFESTS, Fault.SLOW_DOWN_AFTER_SUCCESS, 1);
    assertThat(catchThrowable(() -> t.maintenance().orElseThrow().compact(1_000_000, 0)))
        .isInstanceOf(io.github.lancesink.RetryableException.class);
    assertThat(t.maintenance().orElseThrow().stats().fragments()).isEqualTo(3);
    t.maintenance().orElseThrow().compact(1_000_000, 0);
    assertThat(t.maintenance().orElseThrow().stats().fragments()).isEqualTo(1);
    assertThat(Rows.ids(t)).isEqualTo(Rows.range(0, 30));
  }

  /**
   * Purpose: an index build whose reply is lost is found in the table, and committed once.
   * Steps: one append; lose the reply to the next manifest upload; build a scalar index. Pass:
   * no exception, exactly one new version, one index of that name.
   */
  @Test
  void lostReplyOnAnIndexBuildIsReconciled(TestInfo info) throws Exception {
    LanceTable t = open(info);
    t.createIfAbsent(Rows.schema(8));
    append(t, 0, Map.of());
    long before = t.latestVersion().orElseThrow();
    S3.faults().fail(Operation.PUT, MANIFESTS, Fault.SLOW_DOWN_AFTER_SUCCESS, 1);
    t.maintenance().orElseThrow().createIndex(IndexSpec.scalar("id", "id_idx"));
    assertThat(S3.faults().injectedCount()).isEqualTo(1);
    assertThat(t.latestVersion()).hasValue(before + 1);
    assertThat(t.maintenance().orElseThrow().indices()).filteredOn(i -> i.name().equals("id_idx")).hasSize(1);
  }
}
