package io.github.lancesink.lance;

import io.github.lancesink.LanceSinkException;
import io.github.lancesink.internal.Errors;
import java.util.Map;
import java.util.Optional;
import org.lance.Dataset;
import org.lance.Transaction;
import org.lance.operation.UpdateConfig;
import org.lance.operation.UpdateMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one retry loop of the adapter's commits outside the data path: the table-config upsert
 * ({@link #upsertConfig}), the revert of a duplicate append ({@link NativeRevert}) and the
 * key-index build. Each attempt starts from the latest
 * version. Like a data commit it runs with the object-store client's retries off (see {@code
 * NativeLanceTable.commitOptions}), so a lost reply is never re-sent blind:
 *
 * <ul>
 *   <li>a conflict means nothing landed, and the next attempt rebuilds the commit;
 *   <li>a transient error is ambiguous: the table is re-read and {@code landed} decides whether
 *       the commit is there (then its result is returned) or not (then it is tried again, at
 *       most {@link #UNKNOWN_ATTEMPTS} times);
 *   <li>a reconcile that cannot read the table fails closed with {@code
 *       CommitStateUnknownException};
 *   <li>any other error fails at once.
 * </ul>
 */
final class MetadataCommit {
  private static final Logger LOG = LoggerFactory.getLogger(MetadataCommit.class);
  /** Attempts of a commit that keeps conflicting with concurrent commits. */
  static final int CONFLICT_ATTEMPTS = 8;
  /** Attempts of a commit whose outcome was unknown and proven absent each time. */
  static final int UNKNOWN_ATTEMPTS = 3;

  /** One step on the table's latest version; Lance may throw undeclared checked exceptions. */
  @FunctionalInterface
  interface Step<T> {
    T apply(Dataset latest) throws Exception;
  }

  private MetadataCommit() {}

  /**
   * Runs {@code commit} until it lands; {@code landed} answers, on a freshly read latest
   * version, whether an attempt whose reply was lost did land (and with what result).
   */
  static <T> T run(NativeLanceTable table, String operation, Step<Optional<T>> landed,
      Step<T> commit) {
    Exception last = null;
    int unknowns = 0;
    for (int attempt = 1; attempt <= CONFLICT_ATTEMPTS; attempt++) {
      Dataset latest = table.refreshed();
      if (latest == null) {
        throw Errors.port(operation, table.displayUri(),
            new IllegalStateException("dataset does not exist"));
      }
      try {
        return commit.apply(latest);
      } catch (LanceSinkException e) {
        throw e;
      } catch (Exception e) {
        last = e;
        if (LanceErrors.isConflict(e)) {
          continue;
        }
        if (!LanceErrors.isTransient(e)) {
          throw table.classifyRead(operation, e);
        }
        Optional<T> found = reconcile(table, operation, landed, e);
        if (found.isPresent()) {
          LOG.info("{} on {}: the reply was lost, but the commit landed", operation,
              table.displayUri());
          return found.get();
        }
        if (++unknowns >= UNKNOWN_ATTEMPTS) {
          throw table.classifyRead(operation, e); // proven absent: "nothing was committed"
        }
      }
    }
    throw Errors.conflict(table.displayUri(), -1, table.scrub(last));
  }

  /**
   * Upserts {@code entries}, keeping every other key. Not {@code Dataset.updateConfig}: in Lance
   * 7.0.0 it commits {@code UpdateMap.replace(true)}, which drops every key not in the call (for
   * example other writers' registrations, which the ledger needs to fail closed). An upsert is
   * idempotent, so a lost reply is settled by reading the config back.
   */
  static void upsertConfig(NativeLanceTable table, Map<String, String> entries) {
    UpdateConfig op = UpdateConfig.builder()
        .configUpdates(UpdateMap.builder().updates(Map.copyOf(entries)).replace(false).build())
        .build();
    run(table, "updateConfig",
        latest -> latest.getConfig().entrySet().containsAll(entries.entrySet())
            ? Optional.of(Boolean.TRUE) : Optional.empty(),
        latest -> {
          try (Transaction txn =
              new Transaction.Builder().readVersion(latest.version()).operation(op).build()) {
            table.commitBuilder(latest).execute(txn).close();
          }
          return Boolean.TRUE;
        });
  }

  private static <T> Optional<T> reconcile(
      NativeLanceTable table, String operation, Step<Optional<T>> landed, Exception cause) {
    try {
      return landed.apply(table.refreshed());
    } catch (Exception read) {
      throw Errors.stateUnreconciled(operation, table.displayUri(), table.scrub(cause),
          table.classifyRead(operation, read));
    }
  }
}
