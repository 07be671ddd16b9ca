package io.github.lancesink.lance;

import io.github.lancesink.internal.Errors;
import io.github.lancesink.internal.Redactor;
import org.lance.Dataset;
import org.lance.Transaction;
import org.lance.operation.Restore;

/**
 * Repairs what a lost dataset-creation race leaves behind, for {@link
 * NativeLanceTable#createIfAbsent}.
 *
 * <p>Lance 7.0.0 commits a CREATE that raced another creator as an Overwrite version on top of
 * the winner's history (seen here: four racing creators left versions 1 and 2, both Overwrite).
 * If that Overwrite hid committed rows, their markers would still be found by the ledger while
 * the rows are gone, so the version before it is restored. Fails loudly when the Overwrite is no
 * longer the latest version (a restore would drop later commits).
 */
final class CreateRaceRepair {
  private CreateRaceRepair() {}

  /** Restores version {@code overwrite - 1} if the Overwrite at {@code overwrite} hid rows. */
  static void undo(NativeLanceTable table, long overwrite) {
    Dataset ds = table.refreshed();
    long hidden;
    try (Dataset before = ds.checkoutVersion(overwrite - 1)) {
      hidden = before.countRows();
    } catch (Exception e) {
      throw table.classifyRead("create", e);
    }
    if (hidden == 0) {
      return; // it overwrote an empty table: nothing was lost
    }
    String what = "a racing dataset creation committed an Overwrite at version " + overwrite
        + " that hides " + hidden + " committed rows of version " + (overwrite - 1);
    if (ds.version() != overwrite) {
      throw Errors.port("create", table.displayUri(), new IllegalStateException(what
          + ", and versions were committed after it; restore version " + (overwrite - 1)
          + " manually"));
    }
    try (Transaction txn = new Transaction.Builder().readVersion(overwrite)
        .operation(Restore.builder().version(overwrite - 1).build()).build()) {
      table.commitBuilder(ds).execute(txn).close();
    } catch (Exception e) {
      throw Errors.port("create", table.displayUri(), new IllegalStateException(what
          + "; restoring it failed: " + Redactor.scrub(e, table.storageOptions()).getMessage()));
    }
    table.refreshed();
  }
}
