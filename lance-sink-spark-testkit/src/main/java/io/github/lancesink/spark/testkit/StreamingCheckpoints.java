package io.github.lancesink.spark.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * Makes Spark replay a micro-batch the way a crash between the sink's commit and Spark's
 * checkpoint would: {@link #replayBatch} deletes the batch's entry in {@code <checkpoint>/commits}
 * so the next start of the query runs that batch again, with the same id and the same offsets.
 *
 * <p>Spark's checkpoint file manager keeps a {@code .N.crc} checksum next to {@code commits/N}.
 * Deleting only {@code N} leaves the checksum behind; the restarted query then fails to write
 * {@code commits/N} again with a misleading "Multiple streaming queries are concurrently using"
 * error. This helper deletes both.
 *
 * @since 0.1.0
 */
public final class StreamingCheckpoints {
  private StreamingCheckpoints() {}

  /**
   * Deletes {@code commits/batchId} (and its {@code .crc}) of a STOPPED query's local checkpoint
   * so the query replays that batch when it starts again. Only the last committed batch can be
   * replayed, as in Spark (which replans from the last offsets entry).
   *
   * @throws IllegalArgumentException when {@code batchId} is not the last committed batch
   */
  public static void replayBatch(Path checkpoint, long batchId) {
    Path commits = checkpoint.resolve("commits");
    OptionalLong last = lastCommitted(checkpoint);
    if (last.isEmpty() || last.getAsLong() != batchId) {
      throw new IllegalArgumentException("only the last committed batch can be replayed; batch "
          + batchId + " is not it (last committed in " + commits + ": "
          + (last.isPresent() ? last.getAsLong() : "none") + ")");
    }
    try {
      Files.delete(commits.resolve(Long.toString(batchId)));
      Files.deleteIfExists(commits.resolve("." + batchId + ".crc"));
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete the commit entry of batch " + batchId
          + " in " + commits, e);
    }
  }

  /** The last batch id in {@code <checkpoint>/commits}, or empty when none is committed. */
  public static OptionalLong lastCommitted(Path checkpoint) {
    Path commits = checkpoint.resolve("commits");
    if (!Files.isDirectory(commits)) {
      return OptionalLong.empty();
    }
    try (Stream<Path> files = Files.list(commits)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d+"))
          .mapToLong(Long::parseLong).max();
    } catch (IOException e) {
      throw new UncheckedIOException("could not list " + commits, e);
    }
  }
}
