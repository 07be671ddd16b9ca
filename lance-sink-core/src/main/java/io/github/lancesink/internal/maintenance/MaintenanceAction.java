package io.github.lancesink.internal.maintenance;

/** What a maintenance run can do, in the order a run does it. */
public enum MaintenanceAction {
  /** Retires a second vector index left by a retrain interrupted before its swap. */
  DROP_INDEX("drop-index", 1),
  COMPACT("compact", 2),
  /** Merges exactly the listed fragments (the unindexed tail, or beside a build). */
  MERGE_FRAGMENTS("merge-fragments", 1),
  /** The build, then the drift baseline written to table config. */
  BUILD_INDEX("build-index", 2),
  /** The build under the other name, a refresh, the drop of the old index, the baseline. */
  RETRAIN_INDEX("retrain-index", 4),
  SCALAR_INDEX("scalar-index", 1),
  OPTIMIZE_INDICES("optimize-indices", 1),
  CLEANUP("cleanup", 1); // the ledger checkpoint (a config update) written before it

  private final String label;
  private final int versions;

  MaintenanceAction(String label, int versions) {
    this.label = label;
    this.versions = versions;
  }

  /** True for the actions that take long (an IVF build): the slow lane runs them. */
  public boolean slow() {
    return this == BUILD_INDEX || this == RETRAIN_INDEX;
  }

  /** The name used in events and metrics. */
  public String label() {
    return label;
  }

  /** The most versions the action adds (Lance compaction reserves ids, then rewrites). */
  public int versions() {
    return versions;
  }
}
