package io.github.lancesink.internal.partition;

import io.github.lancesink.BatchResult;
import io.github.lancesink.LanceSink;
import io.github.lancesink.LanceSinkException;
import io.github.lancesink.internal.DelegatingReader;
import io.github.lancesink.partition.PartitionReader;
import io.github.lancesink.partition.PartitionSnapshot;
import io.github.lancesink.partition.PartitionSourceException;
import io.github.lancesink.partition.SourceFile;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;

/**
 * Writes a partition through a caller's {@link PartitionReader}. When reading fails, the
 * failure is a {@link PartitionSourceException} whatever layer reported it (the reader at
 * open, or Lance's fragment writer while it pulled the reader's batches), and it names the bad
 * file: the partition's files are read again one at a time, each through the same reader on a
 * single-file snapshot, and the first that fails alone is the one named. A reader therefore
 * need not name its files, and most real ones (a Parquet footer error, say) do not.
 */
public final class ReaderWrite implements PartitionWrite {
  private final PartitionReader reader;
  private final BufferAllocator allocator;

  public ReaderWrite(PartitionReader reader, BufferAllocator allocator) {
    this.reader = reader;
    this.allocator = allocator;
  }

  @Override
  public BatchResult write(LanceSink sink, long batchId, PartitionSnapshot p,
      Map<String, String> tags) {
    Tracked tracked = null;
    try (ArrowReader r = reader.open(p, allocator)) {
      tracked = new Tracked(r);
      return sink.write(batchId, sink.settings().sourceLineage(),
          new TaggedSource(sink.source(tracked), tags));
    } catch (LanceSinkException e) {
      if (tracked == null || tracked.failure == null) {
        throw e; // the sink's own failure (bad rows, a commit error): not a read failure
      }
      throw unreadable(p, tracked.failure, e);
    } catch (IOException | RuntimeException e) {
      throw unreadable(p, tracked != null && tracked.failure != null ? tracked.failure : e, e);
    }
  }

  /**
   * @param read what the reader threw, or the failure itself if the reader did not throw
   * @param e the failure as it reached the runner (the cause of the exception)
   */
  private PartitionSourceException unreadable(PartitionSnapshot p, Exception read, Exception e) {
    String head = "Cannot read partition " + p.path() + " (" + p.fileCount() + " files): ";
    String tail = ". Nothing of this partition was committed; it is retried on the next cycle"
        + " unless it was skipped.";
    for (SourceFile f : p.dataFiles()) {
      Exception alone = readAlone(p, f);
      if (alone != null) {
        PartitionSourceException out = new PartitionSourceException(f.relativePath(), head
            + "file " + f.relativePath() + " cannot be read: " + message(alone) + " (found by"
            + " reading each file alone)" + tail, e);
        if (alone != e && alone != read) {
          out.addSuppressed(alone);
        }
        return out;
      }
    }
    return new PartitionSourceException(p.path(), head + message(read) + "; each of its "
        + p.fileCount() + " files was read alone without error, so no single file is to blame"
        + " (a transient read error, or files that do not fit together?)" + tail, e);
  }

  /** Reads every row of {@code f} alone; the failure, or null if it reads. */
  private Exception readAlone(PartitionSnapshot p, SourceFile f) {
    PartitionSnapshot one = new PartitionSnapshot(p.time(), p.path(), List.of(f),
        p.successMarker());
    try (ArrowReader r = reader.open(one, allocator)) {
      r.getVectorSchemaRoot();
      while (r.loadNextBatch()) {
        // read and drop: only whether the file reads matters
      }
      return null;
    } catch (IOException | RuntimeException e) {
      return e;
    }
  }

  /** The first line of the reader's own message. */
  private static String message(Throwable e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  /** Remembers whether the caller's reader itself threw, beneath any wrapping by the sink. */
  private static final class Tracked extends DelegatingReader {
    private Exception failure;

    Tracked(ArrowReader delegate) {
      super(delegate);
    }

    @Override
    public boolean loadNextBatch() throws IOException {
      try {
        return delegate.loadNextBatch();
      } catch (IOException | RuntimeException e) {
        failure = e;
        throw e;
      }
    }

    @Override
    public VectorSchemaRoot getVectorSchemaRoot() throws IOException {
      try {
        return super.getVectorSchemaRoot();
      } catch (IOException | RuntimeException e) {
        failure = e;
        throw e;
      }
    }
  }
}
