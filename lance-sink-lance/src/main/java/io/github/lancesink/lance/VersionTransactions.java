package io.github.lancesink.lance;

import io.github.lancesink.internal.Errors;
import io.github.lancesink.spi.VersionProperties;
import java.util.Map;
import java.util.Optional;
import org.lance.Dataset;
import org.lance.Transaction;

/**
 * Reads the ledger's view of one version, for {@link NativeLanceTable#properties}: its
 * transaction properties, or why there are none. Fails closed: a version that exists but cannot
 * be read may hold a marker, so it is never reported as having none.
 */
final class VersionTransactions {
  private VersionTransactions() {}

  /**
   * The transaction properties of {@code version}, read through {@code ds} (the table's open
   * handle, or null when the dataset does not exist).
   */
  static VersionProperties properties(NativeLanceTable table, Dataset ds, long version) {
    if (ds == null || version < 1) {
      return VersionProperties.of(version, VersionProperties.Kind.MISSING);
    }
    Dataset at;
    try {
      at = ds.checkoutVersion(version);
    } catch (Exception e) {
      if (LanceErrors.isNotFound(e)) {
        return VersionProperties.of(version, VersionProperties.Kind.MISSING);
      }
      if (LanceErrors.isTransient(e) || LanceErrors.isPermanent(e)) {
        throw table.classifyRead("checkoutVersion", e); // store trouble, not this version's
      }
      // The version exists but cannot be opened (e.g. its manifest's inline transaction does
      // not decode): it may hold our marker, so fail closed, naming it.
      throw Errors.unreadableVersion(table.displayUri(), version, e);
    }
    try {
      Optional<Transaction> txn = at.readTransaction();
      if (txn.isEmpty()) {
        return VersionProperties.of(version, VersionProperties.Kind.NONE);
      }
      try (Transaction t = txn.get()) {
        Optional<Map<String, String>> props = t.transactionProperties();
        return props.isEmpty() || props.get().isEmpty()
            ? VersionProperties.of(version, VersionProperties.Kind.NONE)
            : VersionProperties.present(version, props.get());
      }
    } catch (Exception e) {
      if (LanceErrors.isTransient(e) || LanceErrors.isPermanent(e)) {
        // Store trouble (retry, or credentials) says nothing about the version.
        throw table.classifyRead("readTransaction", e);
      }
      if (LanceErrors.isRewriteBindingDefect(e)) {
        return VersionProperties.of(version, VersionProperties.Kind.NONE); // a compaction
      }
      // Anything else: a version that cannot be read may hold our marker. Fail closed.
      throw Errors.unreadableVersion(table.displayUri(), version, e);
    } finally {
      at.close();
    }
  }
}
