package io.github.lancesink.internal.maintenance;

/** What a maintenance run can do, in the order a run does it. */
public enum MaintenanceAction {
  COMPACT("compact", 2),
  BUILD_INDEX("build-index", 1),
  RETRAIN_INDEX("retrain-index", 1),
  SCALAR_INDEX("scalar-index", 1),
  OPTIMIZE_INDICES("optimize-indices", 1),
  CLEANUP("cleanup", 1); // the ledger checkpoint (a config update) written before it

  private final String label;
  private final int versions;

  MaintenanceAction(String label, int versions) {
    this.label = label;
    this.versions = versions;
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
