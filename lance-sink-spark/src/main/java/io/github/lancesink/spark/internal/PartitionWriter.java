package io.github.lancesink.spark.internal;

import io.github.lancesink.InvalidBatchException;
import io.github.lancesink.internal.Futures;
import io.github.lancesink.internal.RowChecks;
import io.github.lancesink.internal.ValidatingReader;
import io.github.lancesink.spark.TableFactory;
import io.github.lancesink.spi.LanceTable;
import io.github.lancesink.spi.StagedFragments;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * Runs on executors: converts one partition's rows to Arrow, validates them with the core's
 * {@link RowChecks} and writes them as uncommitted Lance fragments. Returns one {@link
 * PartitionResult} (metadata only). Invalid rows are reported in the result instead of thrown, so
 * the driver can add up the counts of all partitions; the fragments such a partition may have
 * written before the bad rows are never committed.
 */
public final class PartitionWriter
    implements Function2<Integer, Iterator<InternalRow>, Iterator<PartitionResult>> {
  private static final long serialVersionUID = 1L;

  /** The largest Arrow memory one task of this JVM has held (diagnostics, see below). */
  private static final java.util.concurrent.atomic.AtomicLong PEAK_TASK_ARROW_BYTES =
      new java.util.concurrent.atomic.AtomicLong();

  /** Threads that run Lance's fragment writes while task threads convert rows (per JVM). */
  private static final ExecutorService WRITERS = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "lance-sink-fragment-writer");
    t.setDaemon(true);
    return t;
  });

  private final TableFactory tables;
  private final RowLayout layout;
  private final List<String> identityColumns;
  private final int batchRows;
  private final long batchId;

  public PartitionWriter(TableFactory tables, RowLayout layout, List<String> identityColumns,
      int batchRows, long batchId) {
    this.tables = tables;
    this.layout = layout;
    this.identityColumns = List.copyOf(identityColumns);
    this.batchRows = batchRows;
    this.batchId = batchId;
  }

  @Override
  public Iterator<PartitionResult> call(Integer partition, Iterator<InternalRow> rows) {
    return List.of(write(partition, rows)).iterator();
  }

  private PartitionResult write(int partition, Iterator<InternalRow> rows) {
    if (!rows.hasNext()) {
      return PartitionResult.empty(partition);
    }
    RowChecks checks = new RowChecks(layout.vectorColumn(), identityColumns);
    try (BufferAllocator allocator = new PeakRecordingAllocator();
        RowArrowReader reader = new RowArrowReader(allocator, rows, layout, checks, batchRows);
        LanceTable table = tables.open()) {
      ValidatingReader validating = new ValidatingReader(reader, checks, batchId);
      boolean any;
      try {
        any = validating.hasRows();
      } catch (IOException e) {
        if (validating.failure() != null) {
          return invalid(partition, validating.failure(), checks);
        }
        throw new UncheckedIOException(e);
      }
      if (!any) {
        // a partition of deletes only stores nothing but still removes keys
        return new PartitionResult(partition, null, 0, reader.maxCommitMicros(), null, null, 0,
            null, keys(reader.replacedKeys()), keys(reader.deletedKeys()), reader.deletes());
      }
      StagedFragments staged;
      try {
        staged = writeOverlapped(table, validating, allocator);
      } catch (IOException | RuntimeException e) {
        if (validating.failure() != null) {
          return invalid(partition, validating.failure(), checks);
        }
        throw e;
      }
      if (validating.failure() != null) {
        return invalid(partition, validating.failure(), checks);
      }
      if (reader.nullKeys() > 0) {
        return new PartitionResult(partition, null, 0, Long.MIN_VALUE, String.join(",", identityColumns),
            "key values must not be null", reader.nullKeys(), "Spark partition " + partition,
            List.of(), List.of(), 0);
      }
      return new PartitionResult(partition, staged, validating.rows(), reader.maxCommitMicros(),
          null, null, 0, null, keys(reader.replacedKeys()), keys(reader.deletedKeys()),
          reader.deletes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes the validated batches with the conversion overlapped: Lance encodes on a writer
   * thread while this (the task's) thread converts and validates the next batch, handing it
   * over through a {@link HandoffReader} of depth 1. Converting inside Lance's pull instead
   * serialized the two (see the engineering notes, issue 15). A failure of the rows (invalid
   * or an upstream error) aborts the write, so nothing is staged; it is rethrown here as the
   * cause, not the write's echo of it.
   */
  private static StagedFragments writeOverlapped(LanceTable table, ValidatingReader validating,
      BufferAllocator allocator) throws IOException {
    HandoffReader handoff = new HandoffReader(allocator, validating.schema(), 1);
    Future<StagedFragments> write = WRITERS.submit(() -> {
      try {
        return table.writeFragments(handoff);
      } finally {
        handoff.close(); // stops the producer if Lance stopped pulling early
      }
    });
    Throwable rowsFailed = null;
    try {
      while (validating.loadNextBatch() && handoff.put(validating.getVectorSchemaRoot())) {
        // each put moves the batch's buffers; the reader refills its emptied vectors
      }
      handoff.finish();
    } catch (IOException | RuntimeException | Error e) {
      rowsFailed = e;
      handoff.fail(e);
    } catch (InterruptedException e) {
      rowsFailed = e;
      handoff.fail(e);
      Thread.currentThread().interrupt();
    }
    StagedFragments staged;
    try {
      staged = awaitWriter(write); // the allocator outlives the writer
    } catch (RuntimeException | Error writeFailed) {
      if (rowsFailed == null) {
        throw writeFailed;
      }
      staged = null; // the write failed because the rows did: report the rows' failure
    }
    if (rowsFailed instanceof IOException io) {
      throw io;
    }
    if (rowsFailed instanceof RuntimeException re) {
      throw re;
    }
    if (rowsFailed instanceof Error err) {
      throw err;
    }
    if (rowsFailed != null) {
      throw new InterruptedIOException("the task was interrupted while writing fragments");
    }
    return staged;
  }

  /** Waits for the writer thread even when interrupted; rethrows the write's failure. */
  private static StagedFragments awaitWriter(Future<StagedFragments> write) {
    try {
      return Futures.getUninterruptibly(write);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /**
   * The most Arrow memory (bytes) any task in this JVM held at once since the last {@link
   * #resetPeakTaskArrowBytes()}: the batch being converted, the one queued and the one Lance
   * encodes. Diagnostics for benchmarks and tests in local mode, where tasks share the JVM.
   */
  public static long peakTaskArrowBytes() {
    return PEAK_TASK_ARROW_BYTES.get();
  }

  /** Starts a new {@link #peakTaskArrowBytes()} measurement. */
  public static void resetPeakTaskArrowBytes() {
    PEAK_TASK_ARROW_BYTES.set(0);
  }

  /** A task's allocator that records its peak in {@link #peakTaskArrowBytes()} on close. */
  private static final class PeakRecordingAllocator extends RootAllocator {
    PeakRecordingAllocator() {
      super(Long.MAX_VALUE);
    }

    @Override
    public void close() {
      PEAK_TASK_ARROW_BYTES.accumulateAndGet(getPeakMemoryAllocation(), Math::max);
      super.close();
    }
  }

  private static List<List<Object>> keys(java.util.Collection<List<Object>> keys) {
    return new java.util.ArrayList<>(keys); // serializable, may hold nulls
  }

  private PartitionResult invalid(int partition, InvalidBatchException e, RowChecks c) {
    RowChecks.Violation v = c.violation();
    String first = v != null ? v.firstRow() : e.firstBadRow();
    // without identity columns the core describes a row by its ordinal, which is per partition
    String where = identityColumns.isEmpty() ? "Spark partition " + partition + " row " + first
        : first;
    return new PartitionResult(partition, null, 0, Long.MIN_VALUE, e.column(),
        v != null ? v.rule() : "is invalid", e.badRows(), where, List.of(), List.of(), 0);
  }
}
