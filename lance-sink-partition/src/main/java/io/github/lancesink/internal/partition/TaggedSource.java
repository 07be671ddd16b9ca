package io.github.lancesink.internal.partition;

import io.github.lancesink.spi.BatchSource;
import io.github.lancesink.spi.LanceTable;
import java.util.HashMap;
import java.util.Map;
import org.apache.arrow.vector.types.pojo.Schema;

/** A source that adds the partition's identity to the commit properties of another source. */
public final class TaggedSource implements BatchSource {
  private final BatchSource inner;
  private final Map<String, String> tags;

  public TaggedSource(BatchSource inner, Map<String, String> tags) {
    this.inner = inner;
    Map<String, String> all = new HashMap<>(inner.commitProperties());
    all.putAll(tags);
    this.tags = Map.copyOf(all);
  }

  @Override
  public Schema schema() {
    return inner.schema();
  }

  @Override
  public boolean isKnownEmpty(long batchId) {
    return inner.isKnownEmpty(batchId);
  }

  @Override
  public Staged stage(LanceTable table, long batchId) {
    return inner.stage(table, batchId);
  }

  @Override
  public Map<String, String> commitProperties() {
    return tags;
  }
}
