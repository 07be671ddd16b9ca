/**
 * The table port: {@link io.github.lancesink.spi.LanceTable} (the base every sink needs), its
 * optional capabilities {@link io.github.lancesink.spi.KeyedWrites} and {@link
 * io.github.lancesink.spi.TableMaintenance}, the values it exchanges with the core, {@link
 * io.github.lancesink.spi.LanceTableProvider} (how {@code tableUri(..)} finds an adapter) and
 * {@link io.github.lancesink.spi.BatchSource} (how an engine hands over a batch). Implement the
 * port to run the sink against another store or a fake; the testkit's contract suites check an
 * implementation. The real Lance adapter is in the {@code lance-sink-lance} module.
 *
 * @since 0.1.0
 */
package io.github.lancesink.spi;
