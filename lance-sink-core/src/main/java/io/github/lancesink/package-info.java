/**
 * The exactly-once Lance sink: {@link io.github.lancesink.LanceSink}, its builder, {@link
 * io.github.lancesink.WriteMode}, {@link io.github.lancesink.BatchResult} and the exception
 * hierarchy, grouped by what the caller should do.
 *
 * @since 0.1.0
 */
package io.github.lancesink;
