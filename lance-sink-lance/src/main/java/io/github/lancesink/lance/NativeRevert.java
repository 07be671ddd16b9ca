package io.github.lancesink.lance;

import io.github.lancesink.internal.Errors;
import io.github.lancesink.spi.VersionProperties;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.lance.Dataset;
import org.lance.Transaction;
import org.lance.operation.Delete;

/** The revert of a duplicate append, for {@link NativeLanceTable#revertAppend}. */
final class NativeRevert {
  private NativeRevert() {}

  /**
   * Removes the fragments the Append at {@code appendVersion} added (ids present there but not
   * in the version before) with one Delete commit carrying {@code properties}. Fails if they
   * were rewritten since. A lost reply is settled by finding a version with those properties.
   */
  static long revert(NativeLanceTable table, long appendVersion, Map<String, String> properties) {
    Dataset ds = table.refreshed();
    if (ds == null || appendVersion < 2) {
      throw Errors.port("revertAppend", table.displayUri(),
          new IllegalStateException("no append version " + appendVersion));
    }
    List<Long> added = new ArrayList<>();
    try (Dataset at = ds.checkoutVersion(appendVersion);
        Dataset before = ds.checkoutVersion(appendVersion - 1)) {
      Set<Integer> old = new HashSet<>();
      before.getFragments().forEach(f -> old.add(f.getId()));
      at.getFragments().forEach(f -> {
        if (!old.contains(f.getId())) {
          added.add((long) f.getId());
        }
      });
    } catch (Exception e) {
      throw table.classifyRead("revertAppend", e);
    }
    if (added.isEmpty()) {
      throw Errors.port("revertAppend", table.displayUri(),
          new IllegalStateException("version " + appendVersion + " added no fragments"));
    }
    return MetadataCommit.run(table, "revertAppend",
        latest -> versionWith(table, properties, appendVersion, latest.version()),
        latest -> {
          try (Transaction txn = new Transaction.Builder()
              .readVersion(latest.version())
              .operation(Delete.builder().deletedFragmentIds(added).build())
              .transactionProperties(properties)
              .build()) {
            Dataset committed = table.commitBuilder(latest).execute(txn);
            long version = committed.version();
            committed.close();
            return version;
          }
        });
  }

  /** The first version in (after, upTo] whose transaction properties include {@code props}. */
  private static Optional<Long> versionWith(
      NativeLanceTable table, Map<String, String> props, long after, long upTo) {
    for (long v = after + 1; v <= upTo; v++) {
      VersionProperties p = table.properties(v);
      if (p.kind() == VersionProperties.Kind.PRESENT
          && p.properties().entrySet().containsAll(props.entrySet())) {
        return Optional.of(v);
      }
    }
    return Optional.empty();
  }
}
