package io.github.lancesink;

/**
 * What to do when a batch arrives from a different source lineage (for example a new Spark
 * checkpoint, which restarts batch ids at 0) than the one that wrote this writer's last marker.
 *
 * @since 0.1.0
 */
public enum LineagePolicy {
  /**
   * Default. If the new lineage's batch id is not greater than the last committed batch id, fail
   * with a {@link LedgerException}: skipping would silently drop data, writing could duplicate it.
   */
  FAIL_ON_CHANGE,
  /**
   * Explicit opt-in: a batch from a new lineage starts a fresh sequence. Its batches are
   * committed even if their ids are lower than the old lineage's, and dedup from then on is
   * against the new lineage only.
   */
  START_NEW_LINEAGE
}
