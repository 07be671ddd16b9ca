package io.github.lancesink.spark.internal;

import io.github.lancesink.partition.PartitionSnapshot;
import io.github.lancesink.partition.PartitionSourceException;
import io.github.lancesink.partition.SourceFile;
import io.github.lancesink.spi.BatchSource;
import io.github.lancesink.spi.LanceTable;
import java.util.List;
import java.util.function.Function;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads one partition's Parquet files with Spark and hands them to {@link SparkBatchSource}
 * (the same executor-side fragment writing as {@code LanceForeachBatch}). Read failures become a
 * {@link PartitionSourceException} naming the partition and, when it can be found, the file.
 */
public final class ParquetPartitionSource implements BatchSource {
  private final SparkSession session;
  private final PartitionSnapshot partition;
  private final List<String> files;
  private final BatchSource inner;

  /**
   * @param toSource turns the partition's DataFrame into the Spark batch source
   */
  public ParquetPartitionSource(SparkSession session, HadoopPartitionLister lister,
      PartitionSnapshot partition, Function<Dataset<Row>, BatchSource> toSource) {
    this.session = session;
    this.partition = partition;
    this.files = partition.dataFiles().stream().map(SourceFile::relativePath)
        .map(lister::resolve).toList();
    BatchSource s;
    try {
      s = toSource.apply(session.read().parquet(files.toArray(String[]::new)));
    } catch (Exception e) { // Spark throws its checked SparkException without declaring it
      throw unreadable(e);
    }
    this.inner = s;
  }

  @Override
  public Schema schema() {
    return inner.schema();
  }

  @Override
  public Staged stage(LanceTable table, long batchId) {
    try {
      return inner.stage(table, batchId);
    } catch (Exception e) {
      if (isReadFailure(e)) {
        throw unreadable(e);
      }
      throw ParquetPartitionSource.<RuntimeException>sneaky(e);
    }
  }

  private boolean isReadFailure(Throwable e) {
    for (Throwable c = e; c != null && c.getCause() != c; c = c.getCause()) {
      String m = String.valueOf(c.getMessage());
      if (m.contains("FAILED_READ_FILE") || files.stream().anyMatch(m::contains)) {
        return true;
      }
    }
    return false;
  }

  @SuppressWarnings("unchecked")
  private static <E extends Exception> E sneaky(Exception e) throws E {
    throw (E) e;
  }

  private PartitionSourceException unreadable(Exception e) {
    String bad = firstUnreadable();
    String what = bad != null ? "file " + bad : "one of its files " + files;
    return new PartitionSourceException(bad != null ? bad : partition.path(),
        "Cannot read partition " + partition.path() + ": " + what + " is not readable Parquet ("
            + firstLine(e) + "). Nothing of this partition was committed. Fix or remove the"
            + " file; the partition is retried on the next cycle unless it was skipped.", e);
  }

  /** Probes each file's footer to name the first one that cannot be read. */
  private String firstUnreadable() {
    for (String f : files) {
      try {
        session.read().parquet(f).schema();
        session.read().parquet(f).count();
      } catch (Exception e) {
        return f;
      }
    }
    return null;
  }

  /** The first line of the innermost cause's message: the one that says what is wrong. */
  private static String firstLine(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = String.valueOf(root.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
