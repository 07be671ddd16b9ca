package io.github.lancesink.examples.deltacdf;

import io.github.lancesink.LanceSinkSettings;
import io.github.lancesink.WriteMode;
import io.github.lancesink.examples.deltacdf.DocumentGenerator.Change;
import io.github.lancesink.examples.deltacdf.RoundReport.Queries;
import io.github.lancesink.policy.OptimizePolicy;
import io.github.lancesink.policy.RetryPolicy;
import io.github.lancesink.spark.LanceForeachBatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.Trigger;

/**
 * TEMPLATE JOB: keep a Lance vector dataset in sync with a Delta table's change data feed,
 * embedding the changed rows on the way.
 *
 * <p>The demo creates a local Delta table of shop listings (text only), starts a stream that
 * embeds the inserted and updated rows on the executors with a real model ({@link
 * EmbedChangedRows}, {@link MiniLmEmbedder}: all-MiniLM-L6-v2, 384-d, in-process) and writes
 * them to Lance through {@link LanceForeachBatch} in CDC mode, and keeps applying inserts,
 * updates and deletes to Delta while the stream runs. After each round it searches Lance with
 * queries that describe the changed listings in other words, and checks that the updated and
 * inserted ones are found and the deleted one is gone; at the end it checks that Lance equals
 * Delta's latest state, embedded by the same model, row by row. It exits non-zero if any check
 * fails.
 *
 * <p>To adapt it, change the CONFIGURATION block below, replace {@link DeltaDocs} by your own
 * table's change feed, {@link MiniLmEmbedder} by your model, and drop {@link
 * DocumentGenerator}: the streaming part ({@link #stream}) is all your production job needs.
 *
 * @since 0.1.0
 */
public final class DeltaCdfToLance {

  // ---------------------------------------------------------------------------------------
  // CONFIGURATION. Change these for your pipeline.
  // ---------------------------------------------------------------------------------------

  /** CHANGE: on a cluster, remove {@code .master(...)} below and let spark-submit set it. */
  static final String SPARK_MASTER = "local[2]";

  /**
   * CHANGE: the stable dedup namespace of this pipeline. One writer id per (source, Lance
   * dataset) pair; keep it across restarts and deployments. A second pipeline writing the same
   * dataset needs its own id.
   */
  static final String WRITER_ID = "docs-sync";

  /** CHANGE: the key of your Delta table; CDC mode applies deletes and updates by it. */
  static final String KEY_COLUMN = "id";

  /**
   * The write mode: apply the Delta change feed (inserts, updates, deletes) by key. The change
   * columns ({@code _change_type}, ...) are consumed, not stored.
   */
  static final WriteMode WRITE_MODE = WriteMode.cdc(KEY_COLUMN);

  /** CHANGE: the column with the text to embed. */
  static final String TEXT_COLUMN = "text";

  /**
   * CHANGE: your embedding column (Spark {@code ARRAY<FLOAT>}, added by {@link
   * EmbedChangedRows}) and your model's dimension.
   */
  static final String VECTOR_COLUMN = EmbedChangedRows.VECTOR;

  static final int DIMENSION = MiniLmEmbedder.DIMENSION;

  /**
   * CHANGE: storage options handed to Lance (and never printed), e.g. for S3 {@code
   * aws_region}; read secrets from the environment or a secret store, never from source code.
   * Empty for local paths.
   */
  static Map<String, String> storageOptions() {
    return Map.of();
  }

  /**
   * CHANGE: where things live. In production these are durable, shared paths (s3://...), and
   * the checkpoint must survive restarts: it carries Spark's query id, which the sink uses to
   * recognise replays. A NEW checkpoint for an existing dataset is refused unless you opt in
   * ({@code lance.sink.lineage.policy=start-new}).
   */
  record Paths(Path delta, String lance, Path checkpoint) {
    static Paths under(Path workDir) {
      return new Paths(workDir.resolve("docs_delta"), workDir.resolve("docs.lance").toString(),
          workDir.resolve("checkpoint"));
    }
  }

  // Trigger interval: --trigger-ms (1 s for the demo). In production 30 s to 5 min: every
  // trigger makes one Lance version, and OptimizePolicy compacts and re-indexes behind it.

  // ---------------------------------------------------------------------------------------

  static final String ROUND_TAG = "round ";
  /** Set by the supervisor on its first child only: the round after which a commit freezes. */
  static final String FREEZE_ROUND_PROPERTY = "lancesink.demo.freezeRound";

  private DeltaCdfToLance() {}

  /** The embedded Spark session with Delta. On a cluster, spark-submit supplies most of this. */
  static SparkSession session() {
    return SparkSession.builder()
        .master(SPARK_MASTER)
        .appName("delta-cdf-to-lance")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog",
            "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .getOrCreate();
  }

  /** The sink function: everything lance-sink needs to know about your pipeline. */
  static LanceForeachBatch sinkFunction(String lanceUri, Progress progress) {
    return LanceForeachBatch.builder()
        .settings(LanceSinkSettings.builder()
            .tableUri(lanceUri)
            .storageOptions(storageOptions())
            .writerId(WRITER_ID)
            .writeMode(WRITE_MODE)
            .vectorColumn(VECTOR_COLUMN, DIMENSION)
            // CHANGE: tune both per trigger interval (see docs/optimize.md). The
            // defaults retry transient failures and keep the dataset compacted and indexed; the
            // demo plans maintenance every 2 commits (default 10) so that you see it run.
            .retryPolicy(RetryPolicy.defaults())
            .optimizePolicy(OptimizePolicy.defaults().toBuilder().everyCommits(2).build())
            .build())
        .listener(progress) // batches, freshness lag and maintenance for the progress line
        .build();
  }

  /**
   * Starts the stream: Delta change feed -> embed the changed rows on the executors ->
   * foreachBatch(LanceForeachBatch) -> Lance.
   */
  static StreamingQuery stream(DeltaDocs source, TextEmbedder embedder, EmbeddingMeter meter,
      LanceForeachBatch fn, Paths paths, Settings settings) throws Exception {
    return EmbedChangedRows.apply(source.changeFeed(), TEXT_COLUMN, embedder, meter)
        .writeStream()
        .queryName("docs-to-lance")
        .foreachBatch(fn)
        .option("checkpointLocation", paths.checkpoint().toString())
        .trigger(Trigger.ProcessingTime(settings.trigger().toMillis()))
        .start();
  }

  /**
   * Runs the demo in {@code workDir}, resuming where a previous (killed) run stopped.
   *
   * @return the process exit code: 0 when Lance equals Delta, 1 when not, 2 when the stream
   *     failed
   */
  static int run(Settings settings, SparkSession spark, Path workDir, Terminal out)
      throws Exception {
    Paths paths = Paths.under(workDir);
    TextEmbedder embedder = settings.embedder().create(DIMENSION);
    Queries queries = embedder instanceof HashingEmbedder ? Queries.OWN_TEXT : Queries.PARAPHRASE;
    EmbeddingMeter meter = new EmbeddingMeter(spark.sparkContext());
    DocumentGenerator generator = new DocumentGenerator();
    DeltaDocs delta = new DeltaDocs(spark, paths.delta());
    boolean resumed = delta.exists();
    delta.create();
    if (delta.latestVersion() == 0) {
      delta.apply(generator.seed(settings.seedDocs()));
    }
    int done = (int) (delta.latestVersion() - 1); // v0 = create, v1 = seed, v(1+r) = round r
    out.line(resumed
        ? "Resuming in " + workDir + ": Delta is at v" + delta.latestVersion() + " (" + done
            + " rounds applied); the stream restarts from its checkpoint"
        : "Created Delta table " + paths.delta() + " (change data feed on) with "
            + settings.seedDocs() + " shop listings (text only)");
    out.line("Embedding model: " + embedder.modelId() + (queries == Queries.PARAPHRASE
        ? ", run on the executors for inserted and updated rows; searches describe the"
            + " listings in other words"
        : " (a stand-in with no notion of meaning; searches use the listings' own text)"));

    Progress progress = new Progress(out);
    LanceForeachBatch fn = sinkFunction(paths.lance(), progress);
    progress.watch(fn);
    StreamingQuery query = stream(delta, embedder, meter, fn, paths, settings);
    out.line("Streaming the change feed into " + paths.lance() + " (writer '" + WRITER_ID
        + "', " + WRITE_MODE + ", trigger " + settings.trigger().toMillis() + " ms)");
    List<RoundReport> rounds = new ArrayList<>();
    try (LanceDocs lance = new LanceDocs(paths.lance(), storageOptions())) {
      query.processAllAvailable(); // the initial sync (or the catch-up after a restart)
      for (int r = done + 1; r <= settings.rounds(); r++) {
        List<Change> changes = generator.round(r, delta.live(), settings.inserts(),
            settings.updates(), settings.deletes());
        out.line(ROUND_TAG + r + "/" + settings.rounds() + ": applying " + settings.inserts()
            + " inserts, " + settings.updates() + " updates and " + settings.deletes()
            + " deletes to Delta in one MERGE, while the stream runs");
        delta.apply(changes);
        if (r == Integer.getInteger(FREEZE_ROUND_PROPERTY, 0)) {
          progress.armFreeze(); // --kill-and-restart's first child: hold after the next commit
        }
        long version = delta.latestVersion();
        query.processAllAvailable();
        out.line("  Delta v" + version + " is in Lance v" + lance.version()
            + "; searching Lance:");
        rounds.add(RoundReport.search(r, version, changes, lance, embedder, queries,
            settings.topK(), progress, out));
      }
      query.stop();
      out.finish();
      return finish(rounds, delta, lance, embedder, meter, progress, out);
    } catch (StreamingQueryException e) {
      out.finish();
      out.line("The stream failed: " + rootMessage(e));
      return 2;
    } finally {
      query.stop();
      fn.close();
    }
  }

  private static int finish(List<RoundReport> rounds, DeltaDocs delta, LanceDocs lance,
      TextEmbedder embedder, EmbeddingMeter meter, Progress progress, Terminal out)
      throws Exception {
    out.line("");
    out.line("Summary (batches this run: " + progress.batches() + ", replays skipped: "
        + progress.skipped() + ", last maintenance: " + progress.lastMaintenance() + ")");
    out.line(meter.summary(embedder.modelId()));
    Summary.table(rounds, out);
    // what Lance must hold: Delta's latest state, embedded by the same model (a separate meter,
    // so the stream's throughput above stays the stream's)
    Map<Long, Doc> source = delta.embeddedState(embedder,
        new EmbeddingMeter(delta.snapshot().sparkSession().sparkContext()));
    Map<Long, Doc> target = lance.state();
    List<String> diffs = Summary.differences(source, target);
    boolean searches = rounds.stream().allMatch(RoundReport::passed);
    out.line("");
    if (diffs.isEmpty() && searches) {
      out.line("CHECK " + RoundReport.OK + " Lance v" + lance.version() + " holds exactly the "
          + source.size() + " listings of Delta v" + delta.latestVersion()
          + " (keys, revisions, texts; " + DIMENSION + "-d vectors and model names equal to"
          + " Delta's texts embedded by " + embedder.modelId() + ")");
      return 0;
    }
    out.line("CHECK " + RoundReport.FAIL + " Lance differs from Delta in " + diffs.size()
        + " listings" + (searches ? "" : "; a search did not reflect its round"));
    diffs.stream().limit(10).forEach(d -> out.line("  " + d));
    return 1;
  }

  private static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c.getClass().getSimpleName() + ": " + c.getMessage();
  }

  /** Entry point; see {@link Settings} for the arguments. */
  public static void main(String[] args) throws Exception {
    Settings settings;
    try {
      settings = Settings.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(64);
      return;
    }
    Path workDir = settings.workDir().orElse(null);
    boolean temp = workDir == null;
    if (temp) {
      workDir = Files.createTempDirectory("lance-sink-demo-");
    }
    int code;
    if (settings.killAndRestart()) {
      code = new Supervisor(settings, workDir, Terminal.system()).run();
    } else {
      SparkSession spark = session();
      spark.sparkContext().setLogLevel("ERROR");
      try {
        code = run(settings, spark, workDir, Terminal.system());
      } finally {
        spark.stop();
      }
    }
    if (temp && !settings.keep()) {
      Supervisor.deleteRecursively(workDir);
    } else if (temp) {
      System.out.println("Work directory kept: " + workDir);
    }
    System.exit(code);
  }
}
