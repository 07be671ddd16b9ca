/**
 * The real Lance table port: {@link io.github.lancesink.lance.NativeLanceTable} implements
 * {@link io.github.lancesink.spi.LanceTable} on {@code org.lance.Dataset} (lance-core and its
 * native library). {@link io.github.lancesink.lance.NativeLanceTableProvider} registers it with
 * {@link java.util.ServiceLoader}, so {@code LanceSink.builder().tableUri(..)} finds it when this
 * jar is on the classpath. {@link io.github.lancesink.lance.MaintenanceWorkers} (since 0.2.0)
 * lets an engine run the heavy part of compaction and index builds elsewhere, such as the Spark
 * adapter on its executors. Everything else in this package is package-private.
 *
 * @since 0.1.0
 */
package io.github.lancesink.lance;
