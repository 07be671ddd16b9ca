package io.github.lancesink.examples.deltacdf;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The demo's command-line settings. Everything that describes YOUR pipeline (table paths, writer
 * id, key, vector column) lives in the constants at the top of {@link DeltaCdfToLance}; this
 * record only sizes the generated workload.
 *
 * <pre>
 *   --work-dir DIR        where the Delta table, checkpoint and Lance dataset go
 *                         (default: a new temp directory, deleted at the end unless --keep)
 *   --rounds N            rounds of changes applied while the stream runs (default 5)
 *   --seed-docs N         documents in the table before the stream starts (default 2000)
 *   --inserts N           new documents per round (default 100)
 *   --updates N           re-written documents per round (default 50)
 *   --deletes N           deleted documents per round (default 30)
 *   --trigger-ms N        streaming trigger interval in milliseconds (default 1000)
 *   --top-k N             results printed per vector search (default 5)
 *   --embedder NAME       minilm (default): the real all-MiniLM-L6-v2 model, searches by
 *                         paraphrase; hashing: the fast stand-in, searches by own text
 *   --kill-and-restart    run the job in a child JVM, SIGKILL it mid-run, restart it
 *   --keep                keep the temp work directory
 * </pre>
 *
 * @param workDir the explicit work directory, if given
 * @param rounds rounds of changes
 * @param seedDocs documents before the stream starts
 * @param inserts inserts per round
 * @param updates updates per round
 * @param deletes deletes per round
 * @param trigger the streaming trigger interval
 * @param topK results per search
 * @param embedder the embedding model
 * @param killAndRestart whether to demonstrate a SIGKILL and restart
 * @param keep whether to keep a temp work directory
 * @since 0.1.0
 */
record Settings(
    Optional<Path> workDir,
    int rounds,
    int seedDocs,
    int inserts,
    int updates,
    int deletes,
    Duration trigger,
    int topK,
    Embedder embedder,
    boolean killAndRestart,
    boolean keep) {

  /** The embedding models the demo can use. */
  enum Embedder {
    /** all-MiniLM-L6-v2, quantized, in-process: a real model. */
    MINILM,
    /** {@link HashingEmbedder}: a stand-in with no notion of meaning, for fast tests. */
    HASHING;

    TextEmbedder create(int dimension) {
      return this == MINILM ? new MiniLmEmbedder() : new HashingEmbedder(dimension);
    }
  }

  /** The defaults: a demo of about 3 minutes on two cores, model load included. */
  public static Settings defaults() {
    return new Settings(Optional.empty(), 5, 2_000, 100, 50, 30, Duration.ofSeconds(1), 5,
        Embedder.MINILM, false, false);
  }

  /** Parses {@code args}; throws {@link IllegalArgumentException} naming a bad argument. */
  public static Settings parse(String... args) {
    Settings s = defaults();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--kill-and-restart" -> s = s.with(a, "true");
        case "--keep" -> s = s.with(a, "true");
        case "--work-dir", "--rounds", "--seed-docs", "--inserts", "--updates", "--deletes",
            "--trigger-ms", "--top-k", "--embedder" -> {
          if (i + 1 >= args.length) {
            throw new IllegalArgumentException(a + " needs a value");
          }
          s = s.with(a, args[++i]);
        }
        default -> throw new IllegalArgumentException("unknown argument '" + a + "'; see the"
            + " Settings javadoc for the options");
      }
    }
    if (s.seedDocs >= 1_000_000 || s.inserts >= 1_000_000) {
      throw new IllegalArgumentException("--seed-docs and --inserts must be below 1,000,000");
    }
    if (s.updates + s.deletes > s.seedDocs) {
      throw new IllegalArgumentException("--updates + --deletes (" + (s.updates + s.deletes)
          + ") must not exceed --seed-docs (" + s.seedDocs + ")");
    }
    return s;
  }

  private Settings with(String key, String value) {
    Optional<Path> dir = workDir;
    int[] n = {rounds, seedDocs, inserts, updates, deletes, (int) trigger.toMillis(), topK};
    boolean kill = killAndRestart;
    boolean k = keep;
    Embedder e = embedder;
    switch (key) {
      case "--work-dir" -> dir = Optional.of(Path.of(value).toAbsolutePath());
      case "--rounds" -> n[0] = number(key, value, 1);
      case "--seed-docs" -> n[1] = number(key, value, 1);
      case "--inserts" -> n[2] = number(key, value, 0);
      case "--updates" -> n[3] = number(key, value, 0);
      case "--deletes" -> n[4] = number(key, value, 0);
      case "--trigger-ms" -> n[5] = number(key, value, 1);
      case "--top-k" -> n[6] = number(key, value, 1);
      case "--embedder" -> e = switch (value) {
        case "minilm" -> Embedder.MINILM;
        case "hashing" -> Embedder.HASHING;
        default -> throw new IllegalArgumentException("--embedder must be minilm or hashing,"
            + " was '" + value + "'");
      };
      case "--kill-and-restart" -> kill = true;
      case "--keep" -> k = true;
      default -> throw new IllegalArgumentException(key);
    }
    return new Settings(dir, n[0], n[1], n[2], n[3], n[4], Duration.ofMillis(n[5]), n[6], e,
        kill, k);
  }

  private static int number(String key, String value, int min) {
    try {
      int v = Integer.parseInt(value);
      if (v >= min) {
        return v;
      }
    } catch (NumberFormatException e) {
      // fall through to the message below
    }
    throw new IllegalArgumentException(key + " must be an integer >= " + min + ", was '" + value
        + "'");
  }

  /** The same settings with {@code dir} as the work directory, as arguments for a child JVM. */
  public List<String> childArgs(Path dir) {
    List<String> a = new ArrayList<>(List.of("--work-dir", dir.toString(),
        "--rounds", "" + rounds, "--seed-docs", "" + seedDocs, "--inserts", "" + inserts,
        "--updates", "" + updates, "--deletes", "" + deletes,
        "--trigger-ms", "" + trigger.toMillis(), "--top-k", "" + topK,
        "--embedder", embedder.name().toLowerCase(java.util.Locale.ROOT)));
    return a;
  }
}
