package io.github.lancesink.spark.internal;

import io.github.lancesink.partition.PartitionLister;
import io.github.lancesink.partition.SourceFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * Lists a base path recursively through Hadoop's {@code FileSystem}: local paths, {@code file:},
 * HDFS, S3A and whatever else the session's Hadoop configuration reaches. Runs on the driver.
 */
public final class HadoopPartitionLister implements PartitionLister {
  private final String basePath;
  private final Configuration conf;

  public HadoopPartitionLister(String basePath, Configuration conf) {
    this.basePath = basePath;
    this.conf = conf;
  }

  @Override
  public List<SourceFile> list() {
    Path base = new Path(basePath);
    try {
      FileSystem fs = base.getFileSystem(conf);
      if (!fs.exists(base)) {
        return List.of();
      }
      String root = fs.makeQualified(base).toUri().getPath();
      String prefix = root.endsWith("/") ? root : root + "/";
      List<SourceFile> out = new ArrayList<>();
      RemoteIterator<LocatedFileStatus> it = fs.listFiles(base, true);
      while (it.hasNext()) {
        LocatedFileStatus st = it.next();
        String p = st.getPath().toUri().getPath();
        if (st.isFile() && p.startsWith(prefix)) {
          out.add(new SourceFile(p.substring(prefix.length()), st.getLen(),
              Instant.ofEpochMilli(st.getModificationTime())));
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("listing " + basePath + " failed: " + e.getMessage(), e);
    }
  }

  /** The absolute path of a file listed under the base path. */
  public String resolve(String relativePath) {
    return new Path(new Path(basePath), relativePath).toString();
  }

  /** The base path, as given: it names the listing in messages and events. */
  @Override
  public String toString() {
    return basePath;
  }
}
