package io.github.lancesink.testkit;

import io.github.lancesink.spi.LanceTable;

/**
 * AssertJ entry point for lance-sink tables. Works on any {@link LanceTable}: the in-memory fake
 * or a real Lance table ({@code sink.table()}).
 *
 * <pre>{@code
 * import static io.github.lancesink.testkit.LanceAssertions.assertThat;
 *
 * assertThat(table)
 *     .containsExactlyRowsById(0, 1, 2)
 *     .hasNoDuplicateKeys("id")
 *     .hasBatchCommittedOnce("items-sync", 7);
 * }</pre>
 *
 * @since 0.1.0
 */
public final class LanceAssertions {
  private LanceAssertions() {}

  /** Starts assertions on {@code table}. */
  public static LanceTableAssert assertThat(LanceTable table) {
    return new LanceTableAssert(table);
  }
}
