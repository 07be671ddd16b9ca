package io.github.lancesink.internal;

import io.github.lancesink.spi.LanceTable;
import io.github.lancesink.spi.VersionProperties;

/**
 * Reads a version's properties for the ledger and fails closed on a version the port could not
 * read: such a version may hold a marker, so it is never taken for "not one of ours".
 */
public final class VersionReads {
  private VersionReads() {}

  /**
   * The version's properties; {@code PRESENT}, {@code NONE} or {@code MISSING}.
   *
   * @throws io.github.lancesink.LedgerException when the port reports the version {@code
   *     UNREADABLE}
   */
  public static VersionProperties read(LanceTable table, long version) {
    VersionProperties p = table.properties(version);
    if (p.kind() == VersionProperties.Kind.UNREADABLE) {
      throw Errors.unreadableVersion(table.displayUri(), version, null);
    }
    return p;
  }
}
