package io.github.lancesink.partition;

import java.time.Instant;

/**
 * How partition runners number their batches, so the sink's ledger doubles as the watermark.
 *
 * <p>A batch id is {@code epochMinutes * 1000 + revision}: the start of the watermark partition
 * in epoch minutes, times {@value #REVISIONS}, plus a revision. A new partition is written with
 * revision 0, e.g. {@code 29631481000} for {@code dt=2026-05-04/hour=10/minute=01}. A partition
 * written again because of late data is committed by the same writer with the next id after the
 * ledger's last one ({@code ...001}, {@code ...002}): larger than every id before it, as the
 * ledger requires, yet still decoding to the same watermark. The partition it rewrote is named
 * in the commit's properties, not in the id.
 *
 * @since 0.1.0
 */
public final class PartitionBatchIds {
  /** Revisions available after each watermark partition (ids {@code ...001} to {@code ...999}). */
  public static final long REVISIONS = 1000;

  private PartitionBatchIds() {}

  /** The batch id of a new partition starting at {@code partitionTime}. */
  public static long of(Instant partitionTime) {
    return Math.multiplyExact(Math.floorDiv(partitionTime.getEpochSecond(), 60L), REVISIONS);
  }

  /** The watermark a batch id stands for: the start of its partition. */
  public static Instant watermark(long batchId) {
    return Instant.ofEpochSecond(Math.floorDiv(batchId, REVISIONS) * 60L);
  }

  /** The revision part of a batch id: 0 for a new partition, 1.. for re-processing. */
  public static long revision(long batchId) {
    return Math.floorMod(batchId, REVISIONS);
  }
}
