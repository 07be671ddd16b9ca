package io.github.lancesink.internal;

import io.github.lancesink.LanceSinkConfig;
import io.github.lancesink.WriteMode;
import org.apache.arrow.vector.types.pojo.Schema;

/** Configuration checks of a batch schema, run before anything is written. */
final class BatchChecks {
  private BatchChecks() {}

  static void beforeWrite(LanceSinkConfig config, Schema batch, String uri) {
    config.vectorColumn().ifPresent(
        c -> SchemaCheck.vectorColumn(batch, c, config.vectorDimension(), uri));
    WriteMode mode = config.writeMode();
    String role = mode.kind() == WriteMode.Kind.REPLACE_GROUPS ? "group" : "key";
    for (String key : mode.keys()) {
      if (SchemaCheck.find(batch, key) == null) {
        throw SchemaCheck.missingColumn(role, key, batch);
      }
    }
    if (mode.kind() != WriteMode.Kind.APPEND) {
      throw Errors.config("Write mode " + mode + " is not supported by this version of"
          + " lance-sink; use WriteMode.append().");
    }
  }
}
