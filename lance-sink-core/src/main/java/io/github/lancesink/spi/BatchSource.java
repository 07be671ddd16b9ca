package io.github.lancesink.spi;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * One batch of input as an engine delivers it. {@code LanceSink#write(long, ArrowReader)} wraps a
 * reader in a source; an engine adapter (such as lance-sink-spark, which writes fragments on
 * executors) implements it to stage data its own way while the core still owns the protocol:
 * ledger check, validation rules, the commit with the marker, retries.
 *
 * @since 0.1.0
 */
public interface BatchSource {

  /** The batch schema, known before any row is read. */
  Schema schema();

  /**
   * True when the source can tell, before anything is written, that batch {@code batchId} has no
   * rows; the sink then returns {@code EMPTY} without creating the table or staging. A source may
   * read ahead to find out (the sink's own reader source peeks the first record batch), and may
   * then throw {@link io.github.lancesink.InvalidBatchException} for invalid rows it read. The
   * default says it cannot tell (false); the sink then stages and finds out.
   *
   * @param batchId the batch id, for error messages
   */
  default boolean isKnownEmpty(long batchId) {
    return false;
  }

  /**
   * Validates and writes the rows as uncommitted fragments. Must throw {@link
   * io.github.lancesink.InvalidBatchException} (and stage nothing that could be committed) when
   * rows are invalid.
   *
   * @param table the table to write through (an engine may use its own connection instead)
   * @param batchId the batch id, for error messages
   */
  Staged stage(LanceTable table, long batchId);

  /**
   * Extra transaction properties committed with this batch, in the same atomic commit as its
   * data and marker, for example which source files the batch was read from. Keys are stored
   * under the {@value #SOURCE_PROPERTY_PREFIX} prefix (added by the sink); they must be
   * non-blank and values short. The default has none.
   */
  default java.util.Map<String, String> commitProperties() {
    return java.util.Map.of();
  }

  /** The prefix under which {@link #commitProperties()} are stored in the Lance commit. */
  String SOURCE_PROPERTY_PREFIX = "lancesink.source.";

  /**
   * Fragments staged for one batch, the number of rows the batch delivered, and, for keyed
   * write modes, the stored rows the commit must remove.
   *
   * @param fragments the staged fragments (possibly none, e.g. a change feed of only deletes)
   * @param rows rows the batch delivered (before any change-feed collapsing)
   * @param change the keys whose stored rows the commit removes; empty for append
   */
  record Staged(List<StagedFragments> fragments, long rows, Optional<KeyedChange> change) {
    public Staged {
      fragments = List.copyOf(Objects.requireNonNull(fragments, "fragments"));
      Objects.requireNonNull(change, "change");
    }

    /** Staged appended rows (no keyed change). */
    public Staged(List<StagedFragments> fragments, long rows) {
      this(fragments, rows, Optional.empty());
    }
  }
}
