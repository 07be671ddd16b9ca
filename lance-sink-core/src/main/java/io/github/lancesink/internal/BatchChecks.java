package io.github.lancesink.internal;

import io.github.lancesink.WriteMode;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/** Configuration checks of a batch schema, run before anything is written. */
final class BatchChecks {
  private BatchChecks() {}

  static void beforeWrite(SinkConfig config, Schema batch, String uri) {
    config.vectorColumn().ifPresent(
        c -> SchemaCheck.vectorColumn(batch, c, config.vectorDimension(), uri));
    WriteMode mode = config.writeMode();
    String role = mode.kind() == WriteMode.Kind.REPLACE_GROUPS ? "group" : "key";
    for (String key : mode.keys()) {
      Field f = SchemaCheck.find(batch, key);
      if (f == null) {
        throw SchemaCheck.missingColumn(role, key, batch);
      }
      if (!KeyValues.isKeyType(f.getType())) {
        throw Errors.config("The " + role + " column '" + key + "' of the batch written to " + uri
            + " has type " + f.getType() + "; " + role + " columns must be signed integers or"
            + " strings. Cast it at the source or choose another " + role + " column.");
      }
      if (ChangeFeed.COLUMNS.contains(key)) {
        throw Errors.config("The change-feed column '" + key + "' cannot be a " + role
            + " column: it is consumed, not stored.");
      }
    }
    if (mode.kind() == WriteMode.Kind.CDC) {
      if (SchemaCheck.find(batch, ChangeFeed.CHANGE_TYPE) == null) {
        throw Errors.config("WriteMode " + mode + " needs the change-feed column '"
            + ChangeFeed.CHANGE_TYPE + "' (values " + ChangeFeed.WIRE_VALUES + "), but the batch"
            + " written to " + uri + " has only " + batch.getFields().stream()
                .map(Field::getName).toList() + ". Read the source with Delta's change data"
            + " feed (readChangeFeed) or use WriteMode.upsert(...). Nothing was written.");
      }
      orderColumn(batch, ChangeFeed.COMMIT_VERSION, uri, false);
    }
    mode.sequenceColumn().ifPresent(c -> orderColumn(batch, c, uri, true));
  }

  private static void orderColumn(Schema batch, String column, String uri, boolean required) {
    Field f = SchemaCheck.find(batch, column);
    if (f == null) {
      if (required) {
        throw SchemaCheck.missingColumn("sequence", column, batch);
      }
      return;
    }
    if (!KeyValues.isOrderType(f.getType())) {
      throw Errors.config("The ordering column '" + column + "' of the batch written to " + uri
          + " has type " + f.getType() + "; it must be an integer or timestamp column.");
    }
  }
}
