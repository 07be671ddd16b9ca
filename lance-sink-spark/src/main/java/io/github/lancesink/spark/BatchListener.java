package io.github.lancesink.spark;

import java.io.Serializable;

/**
 * Receives a {@link BatchReport} on the driver after every {@code foreachBatch} call that did not
 * fail. Serializable because the function that holds it is. A listener that throws does not fail
 * the batch (the commit already happened); the exception is logged.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface BatchListener extends Serializable {

  /** Called once per batch, after the commit (or skip). */
  void onBatch(BatchReport report);
}
