/**
 * The partitioned-files-to-lance template job: time-partitioned Parquet files processed into
 * Lance one complete partition at a time. Start with {@link
 * io.github.lancesink.examples.partitioned.PartitionedFilesToLance}.
 *
 * @since 0.1.0
 */
package io.github.lancesink.examples.partitioned;
