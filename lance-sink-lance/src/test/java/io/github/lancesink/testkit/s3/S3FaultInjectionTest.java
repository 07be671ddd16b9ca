package io.github.lancesink.testkit.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.lancesink.BatchResult;
import io.github.lancesink.CommitStateUnknownException;
import io.github.lancesink.LanceSink;
import io.github.lancesink.LanceSinkException;
import io.github.lancesink.RetryableException;
import io.github.lancesink.event.SinkEvent;
import io.github.lancesink.policy.Backoff;
import io.github.lancesink.policy.OptimizePolicy;
import io.github.lancesink.policy.RetryPolicy;
import io.github.lancesink.testkit.s3.ObjectStoreFaults.Fault;
import io.github.lancesink.testkit.s3.ObjectStoreFaults.Operation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Failures injected at the S3 server: transient errors are retried per the policy, an
 * ambiguous commit is reconciled through the ledger, a persistent outage fails clearly, and in
 * every case the table ends with exactly the committed rows.
 */
class S3FaultInjectionTest {
  @RegisterExtension static final S3ProxyExtension S3 = S3ProxyExtension.builder().build();

  private static final String MANIFESTS = "_versions/";
  private final RootAllocator alloc = new RootAllocator();
  private final List<SinkEvent> events = new ArrayList<>();
  private final List<Duration> sleeps = new ArrayList<>();
  private String path;

  @AfterEach
  void close() {
    alloc.close();
  }

  private LanceSink sink(TestInfo info, Map<String, String> extra) {
    path = info.getTestMethod().orElseThrow().getName() + ".lance";
    Map<String, String> options = new HashMap<>(S3.storageOptions());
    options.putAll(extra);
    LanceSink sink =
        LanceSink.builder()
            .tableUri(S3.uri(path))
            .storageOptions(options)
            .writerId("faulty")
            .vectorColumn("vector", 8)
            .optimizePolicy(OptimizePolicy.never())
            .retryPolicy(RetryPolicy.builder().maxAttempts(4).backoff(
                Backoff.fixed(Duration.ofMillis(5))).build())
            .sleeper(sleeps::add)
            .build();
    sink.events().onEvent(events::add);
    return sink;
  }

  /** No client-side retries: every injected error reaches the sink. */
  private static Map<String, String> noClientRetries() {
    return Map.of("client_max_retries", "0");
  }

  private BatchResult write(LanceSink sink, long batch) throws Exception {
    try (ArrowReader r = Rows.reader(alloc, batch * 10, 10, 8)) {
      return sink.write(batch, r);
    }
  }

  /**
   * Purpose: a commit that fails before it lands is retried per the RetryPolicy, after the
   * ledger proved the marker absent. Steps: commit batch 0; make the next 2 manifest uploads
   * fail with 503 SlowDown; write batch 1. Pass: batch 1 commits on attempt 3, two
   * reconciliations reported "not landed", the table holds exactly ids 0..19.
   */
  @Test
  void transientCommitFailuresAreReconciledThenRetried(TestInfo info) throws Exception {
    try (LanceSink sink = sink(info, noClientRetries())) {
      write(sink, 0);
      S3.faults().fail(Operation.PUT, MANIFESTS, Fault.SLOW_DOWN, 2);
      BatchResult r = write(sink, 1);
      assertThat(r.outcome()).isEqualTo(BatchResult.Outcome.COMMITTED);
      assertThat(r.attempts()).isEqualTo(3);
      assertThat(S3.faults().injectedCount()).isEqualTo(2);
      assertThat(events).filteredOn(e -> e instanceof SinkEvent.StateUnknownReconciled u
          && !u.landed()).hasSize(2);
      assertThat(sleeps).hasSize(2);
      assertThat(Rows.ids(sink.table())).isEqualTo(Rows.range(0, 20));
    }
  }

  /**
   * Purpose: a commit that landed but whose response was lost is never re-committed. Steps:
   * commit batch 0; the next manifest upload succeeds but answers 503; write batch 1. Pass:
   * the sink reconciles, finds its marker, reports COMMITTED at that version, and the table
   * holds ids 0..19 exactly once.
   */
  @Test
  void ambiguousCommitThatLandedIsFoundInTheLedger(TestInfo info) throws Exception {
    try (LanceSink sink = sink(info, noClientRetries())) {
      write(sink, 0);
      long before = sink.table().latestVersion().orElseThrow();
      S3.faults().fail(Operation.PUT, MANIFESTS, Fault.SLOW_DOWN_AFTER_SUCCESS, 1);
      BatchResult r = write(sink, 1);
      assertThat(r.outcome()).isEqualTo(BatchResult.Outcome.COMMITTED);
      assertThat(r.version()).hasValue(before + 1);
      assertThat(events).filteredOn(e -> e instanceof SinkEvent.StateUnknownReconciled u
          && u.landed()).hasSize(1);
      assertThat(sink.table().latestVersion()).hasValue(before + 1);
      assertThat(Rows.ids(sink.table())).isEqualTo(Rows.range(0, 20));
    }
  }

  /**
   * Purpose: the same lost response with the default storage options, where the object-store
   * client retries uploads by itself. Had the manifest PUT been retried, it would get 412 for
   * the manifest it had just written, Lance would take that for a concurrent commit and commit
   * the same data files again (this duplicated batch 1 before the adapter turned client retries
   * off for commits). Pass: batch 1 is reported once, the reconcile found it landed, and the
   * table holds ids 0..19 exactly once.
   */
  @Test
  void ambiguousCommitWithDefaultClientRetriesDoesNotDuplicate(TestInfo info) throws Exception {
    try (LanceSink sink = sink(info, Map.of())) {
      write(sink, 0);
      long before = sink.table().latestVersion().orElseThrow();
      S3.faults().fail(Operation.PUT, MANIFESTS, Fault.SLOW_DOWN_AFTER_SUCCESS, 1);
      BatchResult r = write(sink, 1);
      assertThat(r.outcome()).isEqualTo(BatchResult.Outcome.COMMITTED);
      assertThat(r.version()).hasValue(before + 1);
      assertThat(events).filteredOn(e -> e instanceof SinkEvent.StateUnknownReconciled u
          && u.landed()).hasSize(1);
      assertThat(events).noneMatch(e -> e instanceof SinkEvent.BatchFailed);
      assertThat(sink.table().latestVersion()).hasValue(before + 1);
      assertThat(Rows.ids(sink.table())).isEqualTo(Rows.range(0, 20));
    }
  }

  /**
   * Purpose: a persistent outage fails with a clear message and leaves nothing behind. Steps:
   * commit batch 0; make every request fail with 503; write batch 1; end the outage. Pass: a
   * LanceSinkException whose message names the operation and s3://bucket/path; the table
   * still holds exactly ids 0..9 at the same version; batch 1 then commits once.
   */
  @Test
  void persistentOutageFailsClearlyAndLeavesNoPartialCommit(TestInfo info) throws Exception {
    try (LanceSink sink = sink(info, noClientRetries())) {
      write(sink, 0);
      long before = sink.table().latestVersion().orElseThrow();
      S3.faults().failAlways(Operation.ANY, "", Fault.SERVICE_UNAVAILABLE);
      Throwable t = catchThrowable(() -> write(sink, 1));
      assertThat(t).isInstanceOf(LanceSinkException.class)
          .hasMessageContaining(S3.uri(path)).hasMessageContaining("503")
          .hasMessageMatching("(?s)(refresh|open|writeFragments|create) on .*");
      S3.faults().clear();
      assertThat(sink.table().latestVersion()).hasValue(before);
      assertThat(Rows.ids(sink.table())).isEqualTo(Rows.range(0, 10));
      assertThat(write(sink, 1).outcome()).isEqualTo(BatchResult.Outcome.COMMITTED);
      assertThat(Rows.ids(sink.table())).isEqualTo(Rows.range(0, 20));
    }
  }

  /**
   * Purpose: a manifest store that keeps failing exhausts the policy with a clear commit error,
   * having reconciled before every retry. Steps: commit batch 0; every manifest upload fails;
   * write batch 1; end the outage; write batch 1 again. Pass: CommitStateUnknownException
   * naming the commit and the URI after 4 reconciliations that found nothing; no new version;
   * the retry then commits batch 1 once (ids 0..19).
   */
  @Test
  void persistentCommitOutageExhaustsThePolicyThenRecovers(TestInfo info) throws Exception {
    try (LanceSink sink = sink(info, Map.of())) {
      write(sink, 0);
      long before = sink.table().latestVersion().orElseThrow();
      S3.faults().failAlways(Operation.PUT, MANIFESTS, Fault.SERVICE_UNAVAILABLE);
      Throwable t = catchThrowable(() -> write(sink, 1));
      assertThat(t).isInstanceOf(CommitStateUnknownException.class)
          .hasMessageStartingWith("Commit on " + S3.uri(path));
      assertThat(events).filteredOn(e -> e instanceof SinkEvent.StateUnknownReconciled u
          && !u.landed()).hasSize(4);
      S3.faults().clear();
      assertThat(sink.table().latestVersion()).hasValue(before);
      assertThat(write(sink, 1).outcome()).isEqualTo(BatchResult.Outcome.COMMITTED);
      assertThat(Rows.ids(sink.table())).isEqualTo(Rows.range(0, 20));
    }
  }

  /**
   * Purpose: a network outage (every connection reset, pooled ones included) fails the batch
   * as transient with the operation and URI named, and leaves nothing behind. Steps: commit
   * batch 0; reset all connections; write batch 1; end the outage; write batch 1 again. Pass:
   * a RetryableException or CommitStateUnknownException naming s3://bucket/path; no new
   * version; then batch 1 commits once (ids 0..19).
   */
  @Test
  void connectionResetOutageFailsAsTransientThenRecovers(TestInfo info) throws Exception {
    try (LanceSink sink = sink(info, noClientRetries())) {
      write(sink, 0);
      long before = sink.table().latestVersion().orElseThrow();
      S3.faults().resetAllConnections();
      Throwable t = catchThrowable(() -> write(sink, 1));
      assertThat(t).isInstanceOfAny(RetryableException.class, CommitStateUnknownException.class)
          .hasMessageContaining(S3.uri(path));
      assertThat(S3.faults().injectedCount()).isPositive();
      S3.faults().clear();
      assertThat(sink.table().latestVersion()).hasValue(before);
      assertThat(write(sink, 1).outcome()).isEqualTo(BatchResult.Outcome.COMMITTED);
      assertThat(Rows.ids(sink.table())).isEqualTo(Rows.range(0, 20));
    }
  }
}
