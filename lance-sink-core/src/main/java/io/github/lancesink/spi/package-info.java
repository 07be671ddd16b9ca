/**
 * The table port: {@link io.github.lancesink.spi.LanceTable} and the values it exchanges with the
 * core. Implement it to run the sink against another store or a fake; the testkit's contract
 * suite checks an implementation.
 *
 * @since 0.1.0
 */
package io.github.lancesink.spi;
