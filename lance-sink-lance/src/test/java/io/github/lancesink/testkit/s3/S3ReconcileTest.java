package io.github.lancesink.testkit.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.lancesink.BatchResult;
import io.github.lancesink.CommitStateUnknownException;
import io.github.lancesink.LanceSink;
import io.github.lancesink.WriteMode;
import io.github.lancesink.event.SinkEvent;
import io.github.lancesink.policy.Backoff;
import io.github.lancesink.policy.OptimizePolicy;
import io.github.lancesink.policy.RetryPolicy;
import io.github.lancesink.testkit.internal.KeyedRows;
import io.github.lancesink.testkit.internal.KeyedRows.Row;
import io.github.lancesink.testkit.s3.ObjectStoreFaults.Fault;
import io.github.lancesink.testkit.s3.ObjectStoreFaults.Operation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Lost replies on every kind of commit the sink makes on S3, and read failures while it
 * reconciles them: the sink learns from the table whether the commit landed and never commits
 * twice, and a reconcile that cannot read the table fails closed ("state unknown"), never as
 * "nothing was committed". All with the default storage options (client retries on).
 */
class S3ReconcileTest {
  @RegisterExtension static final S3ProxyExtension S3 = S3ProxyExtension.builder().build();

  private static final String MANIFESTS = "_versions/";
  private final RootAllocator alloc = new RootAllocator();
  private final List<SinkEvent> events = new ArrayList<>();

  @AfterEach
  void close() {
    S3.faults().clear();
    alloc.close();
  }

  private LanceSink sink(String path, String writerId, WriteMode mode) {
    LanceSink sink = LanceSink.builder()
        .tableUri(S3.uri(path))
        .storageOptions(S3.storageOptions())
        .writerId(writerId)
        .writeMode(mode)
        .vectorColumn("vector", KeyedRows.DIM)
        .optimizePolicy(OptimizePolicy.never())
        .retryPolicy(RetryPolicy.builder().maxAttempts(4)
            .backoff(Backoff.fixed(Duration.ofMillis(1))).build())
        .sleeper(d -> { })
        .build();
    sink.events().onEvent(events::add);
    return sink;
  }

  private static String path(TestInfo info) {
    return info.getTestMethod().orElseThrow().getName() + ".lance";
  }

  private BatchResult write(LanceSink sink, long batch, KeyedRows rows) throws Exception {
    try (ArrowReader r = rows.reader(alloc)) {
      return sink.write(batch, r);
    }
  }

  private static KeyedRows upserts(long from, int n, long val) {
    KeyedRows rows = KeyedRows.upsert();
    for (long id = from; id < from + n; id++) {
      rows.add(Row.of(id, val));
    }
    return rows;
  }

  /**
   * Purpose: the README's lost-reply example on an upsert pipeline, where the first manifest
   * upload of the second batch is the commit that creates the key index. Steps: upsert ids
   * 0..9; lose the reply to the next manifest upload; upsert ids 5..14. Pass: batch 1 is
   * COMMITTED (5 rows replaced), the index commit landed once (exactly two new versions: the
   * index and the data), every id holds its latest value once.
   */
  @Test
  void lostReplyOnTheKeyIndexCommitIsReconciled(TestInfo info) throws Exception {
    try (LanceSink sink = sink(path(info), "upserts", WriteMode.upsert("id"))) {
      write(sink, 0, upserts(0, 10, 1));
      long before = sink.table().latestVersion().orElseThrow();
      S3.faults().fail(Operation.PUT, MANIFESTS, Fault.SLOW_DOWN_AFTER_SUCCESS, 1); // lost reply
      BatchResult r = write(sink, 1, upserts(5, 10, 2));
      assertThat(S3.faults().injectedCount()).isEqualTo(1);
      assertThat(r.outcome()).isEqualTo(BatchResult.Outcome.COMMITTED);
      assertThat(r.deletedRows()).isEqualTo(5);
      assertThat(sink.table().latestVersion()).hasValue(before + 2);
      assertThat(sink.table().maintenance().orElseThrow().indices()).filteredOn(i -> i.name().equals("lance_sink_key_id"))
          .hasSize(1);
      Map<Long, Long> rows = KeyedRows.read(sink.table(), OptionalLong.empty());
      assertThat(rows).hasSize(15);
      assertThat(rows).containsEntry(4L, 1L).containsEntry(5L, 2L).containsEntry(14L, 2L);
    }
  }

  /**
   * Purpose: a keyed commit whose reply was lost and that the ledger then found reports the
   * same counts as the same commit without a fault. Steps: on two tables, CDC batches 0 (ids
   * 0..9) and 1 (updates 0..1, creates the key index), then batch 2: update 2..4, delete 5..6,
   * delete the absent 50..51; on the second table the reply to batch 2's commit is lost. Pass:
   * both report COMMITTED with 5 deleted rows and 2 absent deletes, the faulted one after a
   * reconcile that found it landed; both tables hold the same rows.
   */
  @Test
  void reconciledKeyedCommitReportsTheTrueCounts(TestInfo info) throws Exception {
    BatchResult clean = cdcSequence(path(info) + "-clean", false);
    BatchResult faulted = cdcSequence(path(info) + "-faulted", true);
    assertThat(clean.deletedRows()).isEqualTo(5);
    assertThat(clean.absentDeletes()).isEqualTo(2);
    assertThat(events).filteredOn(e -> e instanceof SinkEvent.StateUnknownReconciled u
        && u.landed()).hasSize(1);
    assertThat(faulted.outcome()).isEqualTo(BatchResult.Outcome.COMMITTED);
    assertThat(faulted.deletedRows()).isEqualTo(clean.deletedRows());
    assertThat(faulted.absentDeletes()).isEqualTo(clean.absentDeletes());
    assertThat(faulted.rows()).isEqualTo(clean.rows());
  }

  private BatchResult cdcSequence(String path, boolean loseReply) throws Exception {
    try (LanceSink sink = sink(path, "cdc", WriteMode.cdc("id"))) {
      KeyedRows first = KeyedRows.cdc();
      for (long id = 0; id < 10; id++) {
        first.add(Row.change(id, 1, "insert", 1));
      }
      write(sink, 0, first);
      write(sink, 1, KeyedRows.cdc().add(Row.change(0, 2, "update_postimage", 2))
          .add(Row.change(1, 2, "update_postimage", 2)));
      KeyedRows third = KeyedRows.cdc();
      for (long id = 2; id <= 4; id++) {
        third.add(Row.change(id, 3, "update_postimage", 3));
      }
      for (long id : new long[] {5, 6, 50, 51}) {
        third.add(Row.change(id, 0, "delete", 3));
      }
      long before = sink.table().latestVersion().orElseThrow();
      if (loseReply) {
        S3.faults().fail(Operation.PUT, MANIFESTS, Fault.SLOW_DOWN_AFTER_SUCCESS, 1);
      }
      BatchResult r = write(sink, 2, third);
      assertThat(r.version()).hasValue(before + 1);
      assertThat(sink.table().latestVersion()).hasValue(before + 1);
      assertThat(KeyedRows.read(sink.table(), OptionalLong.empty())).hasSize(8)
          .containsEntry(0L, 2L).containsEntry(4L, 3L).containsEntry(7L, 1L)
          .doesNotContainKeys(5L, 6L);
      return r;
    }
  }

  /**
   * Purpose: the commit that registers a writer in the table config (an UpdateConfig) is not
   * retried by the object-store client: a lost reply is reconciled by re-reading the config.
   * Steps: writer "other" creates the table; writer "faulty" writes its first batch, whose
   * first manifest upload is its registration, and that reply is lost. Pass: COMMITTED, the
   * registration is in the config, and exactly two versions were added (registration, data).
   */
  @Test
  void lostReplyOnTheRegistrationIsReconciledNotCommittedTwice(TestInfo info) throws Exception {
    try (LanceSink other = sink(path(info), "other", WriteMode.append());
        LanceSink sink = sink(path(info), "faulty", WriteMode.append())) {
      write(other, 0, upserts(0, 5, 1));
      long before = other.table().latestVersion().orElseThrow();
      S3.faults().fail(Operation.PUT, MANIFESTS, Fault.SLOW_DOWN_AFTER_SUCCESS, 1);
      BatchResult r = write(sink, 0, upserts(5, 5, 1));
      assertThat(S3.faults().injectedCount()).isEqualTo(1);
      assertThat(r.outcome()).isEqualTo(BatchResult.Outcome.COMMITTED);
      assertThat(sink.table().config()).containsKey("lancesink.writer.faulty.registered");
      assertThat(sink.table().latestVersion()).hasValue(before + 2);
      assertThat(Rows.ids(sink.table())).isEqualTo(Rows.range(0, 10));
    }
  }

  /**
   * Purpose: GET and LIST failures while the sink reconciles a lost reply are absorbed by the
   * client's read retries, and the reconcile still finds the commit. Steps: batch 0; lose the
   * reply to batch 1's commit, and make the next 2 LISTs and 2 GETs after it fail with 503.
   * Pass: COMMITTED at the next version, reconciled as landed, ids 0..19 once, faults fired.
   */
  @Test
  void transientReadFailuresDuringReconcileStillFindTheCommit(TestInfo info) throws Exception {
    try (LanceSink sink = sink(path(info), "reads", WriteMode.append())) {
      write(sink, 0, upserts(0, 10, 1));
      long before = sink.table().latestVersion().orElseThrow();
      S3.faults().beforeNext(Operation.PUT, MANIFESTS, () -> S3.faults()
          .fail(Operation.LIST, "", Fault.SLOW_DOWN, 2)
          .fail(Operation.GET, "", Fault.INTERNAL_ERROR, 2));
      S3.faults().fail(Operation.PUT, MANIFESTS, Fault.SLOW_DOWN_AFTER_SUCCESS, 1);
      BatchResult r = write(sink, 1, upserts(10, 10, 1));
      assertThat(r.outcome()).isEqualTo(BatchResult.Outcome.COMMITTED);
      assertThat(r.version()).hasValue(before + 1);
      assertThat(S3.faults().injectedCount()).isGreaterThanOrEqualTo(3);
      assertThat(events).filteredOn(e -> e instanceof SinkEvent.StateUnknownReconciled u
          && u.landed()).hasSize(1);
      assertThat(Rows.ids(sink.table())).isEqualTo(Rows.range(0, 20));
    }
  }

  /**
   * Purpose: a reconcile that cannot read the table fails closed. Steps: batch 0; lose the
   * reply to batch 1's commit, and from then on fail every LIST and GET (outage); write batch
   * 1; end the outage; replay batch 1 with a new sink (a restart). Pass: the write fails with
   * CommitStateUnknownException (never "nothing was committed"), the replay is
   * SKIPPED_DUPLICATE at the version the lost commit landed, ids 0..19 once.
   */
  @Test
  void readOutageDuringReconcileFailsClosed(TestInfo info) throws Exception {
    long before;
    try (LanceSink sink = sink(path(info), "outage", WriteMode.append())) {
      write(sink, 0, upserts(0, 10, 1));
      before = sink.table().latestVersion().orElseThrow();
      S3.faults().beforeNext(Operation.PUT, MANIFESTS, () -> S3.faults()
          .failAlways(Operation.LIST, "", Fault.SERVICE_UNAVAILABLE)
          .failAlways(Operation.GET, "", Fault.SERVICE_UNAVAILABLE));
      S3.faults().fail(Operation.PUT, MANIFESTS, Fault.SLOW_DOWN_AFTER_SUCCESS, 1);
      Throwable t = catchThrowable(() -> write(sink, 1, upserts(10, 10, 1)));
      assertThat(t).isInstanceOf(CommitStateUnknownException.class)
          .hasMessageContaining(S3.uri(path(info)))
          .hasMessageNotContaining("nothing was committed");
      S3.faults().clear();
    }
    try (LanceSink restarted = sink(path(info), "outage", WriteMode.append())) {
      BatchResult replay = write(restarted, 1, upserts(10, 10, 1));
      assertThat(replay.outcome()).isEqualTo(BatchResult.Outcome.SKIPPED_DUPLICATE);
      assertThat(replay.version()).hasValue(before + 1);
      assertThat(Rows.ids(restarted.table())).isEqualTo(Rows.range(0, 20));
    }
  }
}
