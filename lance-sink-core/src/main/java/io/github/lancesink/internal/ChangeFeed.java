package io.github.lancesink.internal;

import io.github.lancesink.WriteMode;
import java.util.List;
import java.util.Set;
import org.apache.arrow.vector.types.pojo.Schema;

/** The Delta change-data-feed columns and what the sink stores of a batch. */
public final class ChangeFeed {
  public static final String CHANGE_TYPE = "_change_type";
  public static final String COMMIT_VERSION = "_commit_version";
  public static final String COMMIT_TIMESTAMP = "_commit_timestamp";
  public static final Set<String> COLUMNS = Set.of(CHANGE_TYPE, COMMIT_VERSION, COMMIT_TIMESTAMP);

  /** A row's change type. */
  enum Change {
    INSERT("insert"),
    UPDATE_PREIMAGE("update_preimage"),
    UPDATE_POSTIMAGE("update_postimage"),
    DELETE("delete");

    final String wire;

    Change(String wire) {
      this.wire = wire;
    }

    static Change parse(String s) {
      for (Change c : values()) {
        if (c.wire.equals(s)) {
          return c;
        }
      }
      return null;
    }
  }

  /**
   * The one rule for several rows of one key in a batch, used by the core and by the Spark
   * adapter's distributed collapse: the row with the highest {@code _commit_version} wins;
   * within one version the row with the higher {@link #precedence precedence} wins, so an
   * {@code insert} or {@code update_postimage} beats a {@code delete}. A single Delta commit
   * cannot both add and remove a row, so when it holds a delete and an insert of one key (an
   * overwrite or {@code replaceWhere} rewriting the row) the insert is the row's final state.
   * Rows that tie on both keep the later row. {@code update_preimage} rows never win (they are
   * dropped before ranking).
   *
   * @return 0 for {@code delete}, 1 for {@code insert} and {@code update_postimage}, -1 for
   *     anything else (including {@code update_preimage})
   */
  public static int precedence(String changeType) {
    Change c = changeType == null ? null : Change.parse(changeType);
    if (c == null || c == Change.UPDATE_PREIMAGE) {
      return -1;
    }
    return c == Change.DELETE ? 0 : 1;
  }

  /** The allowed {@code _change_type} values, for messages. */
  public static final List<String> WIRE_VALUES =
      List.of("insert", "update_preimage", "update_postimage", "delete");

  private ChangeFeed() {}

  /**
   * The schema the table stores for a batch of {@code batch}: the batch schema without the
   * change-feed columns in CDC mode, the batch schema otherwise.
   */
  public static Schema storedSchema(WriteMode mode, Schema batch) {
    if (mode.kind() != WriteMode.Kind.CDC) {
      return batch;
    }
    return new Schema(
        batch.getFields().stream().filter(f -> !COLUMNS.contains(f.getName())).toList(),
        batch.getCustomMetadata());
  }
}
