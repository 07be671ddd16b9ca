package io.github.lancesink.spark;

import static io.github.lancesink.spark.TestSpark.append;
import static io.github.lancesink.spark.TestSpark.createDelta;
import static io.github.lancesink.spark.TestSpark.deltaState;
import static io.github.lancesink.spark.TestSpark.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.lancesink.BatchResult;
import io.github.lancesink.LanceSinkSettings;
import io.github.lancesink.lance.NativeLanceTable;
import io.github.lancesink.policy.Backoff;
import io.github.lancesink.policy.RetryPolicy;
import io.github.lancesink.testkit.s3.ObjectStoreFaults.Fault;
import io.github.lancesink.testkit.s3.ObjectStoreFaults.Operation;
import io.github.lancesink.testkit.s3.S3ProxyExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Delta change feed streamed by real Spark (local[2]) through {@link LanceForeachBatch}
 * into a Lance table on the loopback S3 server.
 */
class S3ChangeFeedTest {
  @RegisterExtension static final S3ProxyExtension S3 = S3ProxyExtension.builder().build();
  static final int DIM = 8;
  static final ConcurrentLinkedQueue<BatchReport> REPORTS = new ConcurrentLinkedQueue<>();

  @TempDir Path dir;
  Path delta;

  @BeforeEach
  void setUp() {
    REPORTS.clear();
    delta = dir.resolve("delta");
    createDelta(delta);
  }

  private Dataset<Row> changeFeed() {
    return TestSpark.session().readStream().format("delta").option("readChangeFeed", "true")
        .option("startingVersion", "0").option("maxFilesPerTrigger", "1")
        .load(delta.toString());
  }

  private LanceForeachBatch fn(String lance) {
    return LanceForeachBatch.builder()
        .settings(LanceSinkSettings.builder()
            .tableUri(lance)
            .storageOptions(S3.storageOptions())
            .writerId("items-s3")
            .vectorColumn("vector", DIM)
            .retryPolicy(RetryPolicy.builder().maxAttempts(2)
                .backoff(Backoff.fixed(Duration.ofMillis(1))).build())
            .build())
        .listener(REPORTS::add).build();
  }

  private static StreamingQuery run(Dataset<Row> feed, LanceForeachBatch fn, Path ckpt)
      throws Exception {
    try {
      StreamingQuery q = feed.writeStream().foreachBatch(fn)
          .option("checkpointLocation", ckpt.toString()).trigger(Trigger.AvailableNow()).start();
      q.awaitTermination();
      return q;
    } finally {
      fn.close();
    }
  }

  /**
   * Purpose: the change feed reaches a Lance table on S3 exactly, and Spark's replay is
   * skipped. Steps: two Delta commits, stream; one more, stream; delete the last
   * {@code commits/N} and restart. Pass: Lance on S3 holds exactly Delta's rows (ids, names,
   * vectors) after each step; the replayed batch is SKIPPED_DUPLICATE.
   */
  @Test
  void changeFeedReachesLanceOnS3ExactlyAndReplayIsSkipped() throws Exception {
    String lance = S3.uri("feed.lance");
    Path ckpt = dir.resolve("ckpt");
    append(delta, rows(0, 200, DIM));
    append(delta, rows(200, 300, DIM));
    run(changeFeed(), fn(lance), ckpt);
    append(delta, rows(300, 350, DIM));
    run(changeFeed(), fn(lance), ckpt);
    assertThat(lanceState(lance)).hasSize(350).isEqualTo(deltaState(delta));
    assertThat(REPORTS).extracting(r -> r.result().outcome())
        .containsOnly(BatchResult.Outcome.COMMITTED).hasSize(3);

    long last = REPORTS.stream().mapToLong(BatchReport::batchId).max().orElseThrow();
    Files.delete(ckpt.resolve("commits").resolve(Long.toString(last)));
    Files.deleteIfExists(ckpt.resolve("commits").resolve("." + last + ".crc"));
    REPORTS.clear();
    run(changeFeed(), fn(lance), ckpt);
    assertThat(REPORTS).extracting(r -> r.result().outcome())
        .containsExactly(BatchResult.Outcome.SKIPPED_DUPLICATE);
    assertThat(lanceState(lance)).isEqualTo(deltaState(delta));
  }

  /**
   * Purpose: a stream failing on S3 prints no credential anywhere Spark shows it. Steps: every
   * manifest upload fails; stream until the query dies; capture every log4j event meanwhile.
   * Pass: the query failed naming the s3:// URI; no key, secret or token in the log, the
   * exception chain with stack traces, the query progress JSON or the function's toString.
   */
  @Test
  void failingStreamOnS3ShowsNoCredentials() throws Exception {
    String lance = S3.uri("failing.lance");
    append(delta, rows(0, 50, DIM));
    S3.faults().failAlways(Operation.PUT, "_versions/", Fault.SERVICE_UNAVAILABLE);
    StringWriter log = new StringWriter();
    LanceForeachBatch fn = fn(lance);
    String shown = fn.toString();
    StreamingQuery[] query = new StreamingQuery[1];
    Throwable failure;
    try (AutoCloseable capture = captureLog4j(log)) {
      failure = catchThrowable(() -> {
        StreamingQuery q = changeFeed().writeStream().foreachBatch(fn)
            .option("checkpointLocation", dir.resolve("ckpt").toString())
            .trigger(Trigger.AvailableNow()).start();
        query[0] = q;
        q.awaitTermination();
      });
    } finally {
      fn.close();
    }
    StringWriter trace = new StringWriter();
    failure.printStackTrace(new PrintWriter(trace));
    String progress = String.valueOf(query[0].lastProgress()) + query[0].status();
    assertThat(trace.toString()).contains("failing.lance");
    assertThat(log.toString()).isNotEmpty();
    for (String out : List.of(log.toString(), trace.toString(), progress, shown)) {
      assertThat(out).doesNotContain(S3.accessKey(), S3.secretKey(), S3.sessionToken());
    }
  }

  /** Adds an appender to log4j's root logger (Spark's logging) until closed. */
  private static AutoCloseable captureLog4j(StringWriter sink) {
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    Configuration cfg = ctx.getConfiguration();
    WriterAppender appender = WriterAppender.newBuilder().setName("s3-capture").setTarget(sink)
        .setLayout(PatternLayout.newBuilder().withPattern("%p %c %m%n%throwable").build())
        .build();
    appender.start();
    cfg.getRootLogger().addAppender(appender, Level.ALL, null);
    Level before = cfg.getRootLogger().getLevel();
    cfg.getRootLogger().setLevel(Level.INFO);
    ctx.updateLoggers();
    return () -> {
      cfg.getRootLogger().removeAppender("s3-capture");
      cfg.getRootLogger().setLevel(before);
      ctx.updateLoggers();
      appender.stop();
    };
  }

  /** Every live row of the Lance table on S3 as id -> [name, vector]. */
  private static Map<Long, List<Object>> lanceState(String uri) throws Exception {
    Map<Long, List<Object>> out = new TreeMap<>();
    try (NativeLanceTable t = new NativeLanceTable(uri, S3.storageOptions());
        ArrowReader reader = t.scan(OptionalLong.empty(), List.of("id", "name", "vector"))) {
      while (reader.loadNextBatch()) {
        VectorSchemaRoot root = reader.getVectorSchemaRoot();
        FieldVector id = root.getVector("id");
        FieldVector name = root.getVector("name");
        FieldVector vec = root.getVector("vector");
        for (int r = 0; r < root.getRowCount(); r++) {
          List<Object> v = new ArrayList<>();
          v.add(String.valueOf(name.getObject(r)));
          List<Float> f = new ArrayList<>();
          ((List<?>) vec.getObject(r)).forEach(o -> f.add((Float) o));
          v.add(f);
          assertThat(out.put((Long) id.getObject(r), v)).as("duplicate id").isNull();
        }
      }
    }
    return out;
  }
}
