package io.github.lancesink;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How a batch is applied to the table. Immutable and serializable.
 *
 * <ul>
 *   <li>{@link #append()}: every row is appended.
 *   <li>{@link #upsert(String...)}: rows whose key matches a stored row replace it; new keys are
 *       inserted. Duplicate keys inside one batch are rejected unless a {@linkplain
 *       #withSequenceColumn(String) sequence column} orders them.
 *   <li>{@link #cdc(String...)}: the batch is a Delta change feed ({@code _change_type},
 *       {@code _commit_version}, {@code _commit_timestamp}); deletes and upserts are applied and
 *       the change columns are not stored.
 *   <li>{@link #replaceGroups(String)}: every stored row whose group value appears in the batch
 *       is replaced by the batch's rows of that group, in one commit.
 * </ul>
 *
 * @since 0.1.0
 */
public final class WriteMode implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The kind of a write mode. */
  public enum Kind {
    APPEND,
    UPSERT,
    CDC,
    REPLACE_GROUPS
  }

  private final Kind kind;
  private final List<String> keys;
  private final String sequenceColumn;

  private WriteMode(Kind kind, List<String> keys, String sequenceColumn) {
    this.kind = kind;
    this.keys = List.copyOf(keys);
    this.sequenceColumn = sequenceColumn;
  }

  /** Append every row. */
  public static WriteMode append() {
    return new WriteMode(Kind.APPEND, List.of(), null);
  }

  /** Insert or replace rows by the given key columns. */
  public static WriteMode upsert(String... keys) {
    return new WriteMode(Kind.UPSERT, checkKeys("upsert", keys), null);
  }

  /** Apply a Delta change data feed keyed by the given columns. */
  public static WriteMode cdc(String... keys) {
    return new WriteMode(Kind.CDC, checkKeys("cdc", keys), null);
  }

  /** Atomically replace whole groups identified by {@code groupColumn}. */
  public static WriteMode replaceGroups(String groupColumn) {
    return new WriteMode(Kind.REPLACE_GROUPS, checkKeys("replaceGroups", groupColumn), null);
  }

  /**
   * Returns a copy that orders duplicate keys inside one batch by {@code column} (largest wins)
   * instead of rejecting them. Only meaningful for {@link Kind#UPSERT}.
   */
  public WriteMode withSequenceColumn(String column) {
    if (kind != Kind.UPSERT) {
      throw new IllegalArgumentException(
          "withSequenceColumn applies to upsert mode only, not " + kind);
    }
    if (column == null || column.isBlank()) {
      throw new IllegalArgumentException("sequence column must be a non-blank column name");
    }
    return new WriteMode(kind, keys, column);
  }

  private static List<String> checkKeys(String mode, String... keys) {
    if (keys == null || keys.length == 0) {
      throw new IllegalArgumentException(mode + " needs at least one key column");
    }
    for (String k : keys) {
      if (k == null || k.isBlank()) {
        throw new IllegalArgumentException(mode + " key columns must be non-blank names");
      }
    }
    if (List.of(keys).stream().distinct().count() != keys.length) {
      throw new IllegalArgumentException(mode + " key columns must be distinct: " + List.of(keys));
    }
    return List.of(keys);
  }

  public Kind kind() {
    return kind;
  }

  /** Key columns (the group column for {@link Kind#REPLACE_GROUPS}); empty for append. */
  public List<String> keys() {
    return keys;
  }

  public Optional<String> sequenceColumn() {
    return Optional.ofNullable(sequenceColumn);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WriteMode m
        && kind == m.kind
        && keys.equals(m.keys)
        && Objects.equals(sequenceColumn, m.sequenceColumn);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, keys, sequenceColumn);
  }

  @Override
  public String toString() {
    String base = kind == Kind.APPEND ? "append()" : kind.name().toLowerCase() + keys;
    return sequenceColumn == null ? base : base + " ordered by " + sequenceColumn;
  }
}
