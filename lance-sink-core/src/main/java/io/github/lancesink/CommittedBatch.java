package io.github.lancesink;

import java.util.Map;

/**
 * One batch a writer committed, as read back from the table's own commits by {@link
 * LanceSink#readCommittedBatches}: for engines that keep their progress in the table (the
 * partition runner rebuilds which files each partition had from it).
 *
 * @param version the table version of the commit
 * @param batchId the batch id the commit recorded
 * @param lineage the source lineage the commit recorded
 * @param sourceProperties the batch source's {@code commitProperties()}, keys without the
 *     {@value io.github.lancesink.spi.BatchSource#SOURCE_PROPERTY_PREFIX} prefix
 * @since 0.1.0
 */
public record CommittedBatch(
    long version, long batchId, String lineage, Map<String, String> sourceProperties) {

  public CommittedBatch {
    sourceProperties = Map.copyOf(sourceProperties);
  }
}
