package io.github.lancesink.spi;

import java.util.Map;
import java.util.Objects;

/**
 * What a version says about itself: its transaction properties, or why there are none.
 *
 * @param version the table version
 * @param kind whether properties were read, absent, unreadable or the version is gone
 * @param properties the transaction properties; empty unless {@code kind} is {@code PRESENT}
 * @since 0.1.0
 */
public record VersionProperties(long version, Kind kind, Map<String, String> properties) {

  /** Why a version has (or lacks) properties. */
  public enum Kind {
    /** The version carries transaction properties (possibly an empty map). */
    PRESENT,
    /** The version has no transaction or no properties (e.g. index builds, config updates). */
    NONE,
    /**
     * The version's transaction could not be read (for example a damaged transaction file).
     * Such a version may hold a marker, so the sink fails closed on it with a {@link
     * io.github.lancesink.LedgerException} naming the version. Adapters report versions
     * without properties (Lance 7.0.0's compaction versions among them) as {@link #NONE}.
     */
    UNREADABLE,
    /** The version no longer exists (removed by cleanup) or never existed. */
    MISSING
  }

  public VersionProperties {
    Objects.requireNonNull(kind, "kind");
    properties = Map.copyOf(properties);
  }

  public static VersionProperties present(long version, Map<String, String> properties) {
    return new VersionProperties(version, Kind.PRESENT, properties);
  }

  public static VersionProperties of(long version, Kind kind) {
    return new VersionProperties(version, kind, Map.of());
  }
}
