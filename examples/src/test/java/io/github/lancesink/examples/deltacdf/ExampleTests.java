package io.github.lancesink.examples.deltacdf;

/** Test tags of the examples module (see the surefire excludedGroups in examples/pom.xml). */
final class ExampleTests {
  /**
   * Needs {@code WriteMode.cdc} in lance-sink-spark. TODO(integrator): remove this tag from
   * {@code examples.test.excludedGroups} once the keyed core modes and their Spark wiring are on
   * main.
   */
  static final String NEEDS_CDC = "needs-cdc";

  /** Launches child JVMs (kill-and-restart); minutes on a busy 2-core machine. */
  static final String SLOW = "slow";

  private ExampleTests() {}
}
