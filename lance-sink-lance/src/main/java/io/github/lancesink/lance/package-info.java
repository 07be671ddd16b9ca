/**
 * The real Lance table port: {@link io.github.lancesink.lance.NativeLanceTable} implements
 * {@link io.github.lancesink.spi.LanceTable} on {@code org.lance.Dataset} (lance-core and its
 * native library). {@link io.github.lancesink.lance.NativeLanceTableProvider} registers it with
 * {@link java.util.ServiceLoader}, so {@code LanceSink.builder().tableUri(..)} finds it when this
 * jar is on the classpath. Everything else in this package is package-private.
 *
 * @since 0.1.0
 */
package io.github.lancesink.lance;
