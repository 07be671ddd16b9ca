package io.github.lancesink.spi;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The stored rows a keyed write removes, identified by key. A key is the list of its column
 * values in {@link #keyColumns()} order, each a {@link Long} (any signed integer column) or a
 * {@link String} (a UTF-8 column). For group replacement the single key column is the group
 * column.
 *
 * @param keyColumns the key (or group) columns, in order
 * @param replacedKeys keys whose stored rows are removed because the batch writes new rows for
 *     them (upsert, change-feed insert or post-image, replaced group)
 * @param deletedKeys keys whose stored rows are removed and not replaced (change-feed deletes);
 *     a deleted key with no stored row is counted as an absent delete
 * @since 0.1.0
 */
public record KeyedChange(
    List<String> keyColumns, Set<List<Object>> replacedKeys, Set<List<Object>> deletedKeys) {

  public KeyedChange {
    keyColumns = List.copyOf(Objects.requireNonNull(keyColumns, "keyColumns"));
    replacedKeys = Set.copyOf(Objects.requireNonNull(replacedKeys, "replacedKeys"));
    deletedKeys = Set.copyOf(Objects.requireNonNull(deletedKeys, "deletedKeys"));
    if (keyColumns.isEmpty()) {
      throw new IllegalArgumentException("a keyed change needs at least one key column");
    }
  }

  /** True when no stored row can be affected. */
  public boolean removesNothing() {
    return replacedKeys.isEmpty() && deletedKeys.isEmpty();
  }
}
