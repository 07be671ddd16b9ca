package io.github.lancesink.spi;

/**
 * What {@link LanceTable#commitKeyed} committed.
 *
 * @param version the new version
 * @param removedRows stored rows removed (replaced or deleted) by the commit
 * @param absentDeletes deleted keys that had no stored row (a no-op, counted)
 * @since 0.1.0
 */
public record KeyedCommit(long version, long removedRows, long absentDeletes) {}
