package io.github.lancesink.spi;

/**
 * Marks an exception that test tooling throws to simulate the death of the process (the
 * testkit's {@code SimulatedCrash}). The sink treats it like any other unexpected exception
 * (the ledger cache is dropped, a {@code BatchFailed} event is published) but logs it at INFO
 * instead of ERROR, so a green test run does not print an ERROR line per simulated crash.
 *
 * @since 0.1.0
 */
public interface SimulatedFailure {}
