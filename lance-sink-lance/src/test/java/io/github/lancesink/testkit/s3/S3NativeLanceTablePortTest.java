package io.github.lancesink.testkit.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lancesink.lance.NativeLanceTable;
import io.github.lancesink.spi.LanceTable;
import io.github.lancesink.spi.StagedFragments;
import io.github.lancesink.spi.VersionProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Focused tests of the real port on {@code s3://}: the properties the sink relies on that
 * differ between a local disk and an object store (creation races, commit races under
 * conditional PUT, no cached versions, version-addressed reads).
 */
class S3NativeLanceTablePortTest {
  @RegisterExtension static final S3ProxyExtension S3 = S3ProxyExtension.builder().build();

  private final RootAllocator alloc = new RootAllocator();
  private final List<LanceTable> opened = new ArrayList<>();

  @AfterEach
  void close() {
    opened.forEach(LanceTable::close);
    alloc.close();
  }

  private LanceTable open(TestInfo info) {
    LanceTable t = new NativeLanceTable(
        S3.uri(info.getTestMethod().orElseThrow().getName() + ".lance"), S3.storageOptions());
    opened.add(t);
    return t;
  }

  private StagedFragments stage(LanceTable t, long from) throws Exception {
    try (ArrowReader r = Rows.reader(alloc, from, 10, 8)) {
      return t.writeFragments(r);
    }
  }

  /**
   * Purpose: exactly one of two racing creators wins on S3, and both return normally. Pass: one
   * true, one false, both see the schema; the first manifest was a conditional upload.
   */
  @Test
  void creationRaceHasExactlyOneWinner(TestInfo info) throws Exception {
    LanceTable a = open(info);
    LanceTable b = open(info);
    CyclicBarrier start = new CyclicBarrier(2);
    List<Boolean> won = race(
        () -> { start.await(); return a.createIfAbsent(Rows.schema(8)); },
        () -> { start.await(); return b.createIfAbsent(Rows.schema(8)); });
    assertThat(won).containsExactlyInAnyOrder(true, false);
    assertThat(a.schema()).isPresent();
    assertThat(b.schema()).contains(a.schema().orElseThrow());
    assertThat(S3.conditionalPuts()).anyMatch(k -> k.startsWith(
        info.getTestMethod().orElseThrow().getName() + ".lance/_versions/"));
  }

  /**
   * Purpose: two writers that commit on the same read version both land, each exactly once,
   * with its own properties (Lance rebases the loser of the If-None-Match race). Pass: two new
   * versions, 20 distinct ids, each version carries its own marker property.
   */
  @Test
  void racingCommitsBothLandOnceWithTheirOwnProperties(TestInfo info) throws Exception {
    LanceTable a = open(info);
    LanceTable b = open(info);
    a.createIfAbsent(Rows.schema(8));
    long base = a.latestVersion().orElseThrow();
    StagedFragments fa = stage(a, 0);
    StagedFragments fb = stage(b, 100);
    CyclicBarrier start = new CyclicBarrier(2);
    List<Long> versions = race(
        () -> { start.await(); return a.commitAppend(base, List.of(fa), Map.of("who", "a")); },
        () -> { start.await(); return b.commitAppend(base, List.of(fb), Map.of("who", "b")); });
    assertThat(versions).containsExactlyInAnyOrder(base + 1, base + 2);
    List<Long> expected = new ArrayList<>(Rows.range(0, 10));
    expected.addAll(Rows.range(100, 10));
    assertThat(Rows.ids(a)).isEqualTo(expected);
    List<String> who = new ArrayList<>();
    for (long v : versions) {
      VersionProperties p = a.properties(v);
      assertThat(p.kind()).isEqualTo(VersionProperties.Kind.PRESENT);
      who.add(p.properties().get("who"));
    }
    assertThat(who).containsExactlyInAnyOrder("a", "b");
  }

  /**
   * Purpose: the store's put-if-absent is what makes a Lance commit atomic. Steps: commit
   * through the port; just before its manifest upload reaches the server, another "writer"
   * creates an object at that key. Pass: the commit fails with a lance-sink exception, the foreign
   * manifest is untouched (not overwritten), and the table still reads at its old version.
   */
  @Test
  void commitNeverOverwritesAnExistingManifest(TestInfo info) throws Exception {
    LanceTable t = open(info);
    t.createIfAbsent(Rows.schema(8));
    long v = t.latestVersion().orElseThrow();
    String next = info.getTestMethod().orElseThrow().getName() + ".lance/_versions/"
        + Long.toUnsignedString(-1L - (v + 1)) + ".manifest";
    byte[] foreign = "written by another writer".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    StagedFragments staged = stage(t, 0);
    S3.faults().beforeNext(
        ObjectStoreFaults.Operation.PUT, next, () -> S3.putObject(next, foreign));
    Throwable failure = org.assertj.core.api.Assertions.catchThrowable(
        () -> t.commitAppend(v, List.of(staged), Map.of("who", "me")));
    assertThat(failure).isInstanceOf(io.github.lancesink.LanceSinkException.class);
    assertThat(S3.conditionalPuts()).contains(next);
    assertThat(S3.object(next)).hasValueSatisfying(b -> assertThat(b).isEqualTo(foreign));
  }

  /**
   * Purpose: nothing is cached across instances: a commit by one handle is visible to another
   * at once, and reads by version see that version only. Pass: latestVersion follows, the old
   * version scans 10 rows, the new one 20, a version past the end is MISSING.
   */
  @Test
  void versionsAreReadFromStorageNotCached(TestInfo info) throws Exception {
    LanceTable a = open(info);
    LanceTable b = open(info);
    a.createIfAbsent(Rows.schema(8));
    long v1 = a.commitAppend(a.latestVersion().orElseThrow(), List.of(stage(a, 0)), Map.of());
    assertThat(b.latestVersion()).hasValue(v1);
    long v2 = a.commitAppend(v1, List.of(stage(a, 10)), Map.of("k", "v"));
    assertThat(b.latestVersion()).hasValue(v2);
    assertThat(b.properties(v2).properties()).containsEntry("k", "v");
    assertThat(b.properties(v2 + 5).kind()).isEqualTo(VersionProperties.Kind.MISSING);
    assertThat(count(b, OptionalLong.of(v1))).isEqualTo(10);
    assertThat(count(b, OptionalLong.empty())).isEqualTo(20);
  }

  private static long count(LanceTable t, OptionalLong version) throws Exception {
    long n = 0;
    try (ArrowReader r = t.scan(version, List.of("id"))) {
      while (r.loadNextBatch()) {
        n += r.getVectorSchemaRoot().getRowCount();
      }
    }
    return n;
  }

  @SafeVarargs
  private static <T> List<T> race(Callable<T>... calls) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(calls.length);
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (Callable<T> c : calls) {
        futures.add(pool.submit(c));
      }
      List<T> out = new ArrayList<>();
      for (Future<T> f : futures) {
        out.add(f.get(60, TimeUnit.SECONDS));
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }
}
