package io.github.lancesink.spi;

import java.io.Serializable;

/**
 * Data written by {@link LanceTable#writeFragments} but not yet committed. Serializable, so a
 * distributed engine can write on workers and commit once on the driver. Opaque to the core:
 * only the adapter that produced it can commit it.
 *
 * @since 0.1.0
 */
public interface StagedFragments extends Serializable {

  /** Rows held by these fragments. */
  long rows();

  /**
   * How many table fragments committing these adds (maintenance's write-stall bound counts
   * them). The default, 1, fits a port that writes one fragment per batch.
   *
   * @since 0.1.0
   */
  default int fragmentCount() {
    return 1;
  }
}
