/**
 * The delta-cdf-to-lance template job: a Delta table's change data feed streamed into a Lance
 * vector dataset through {@code LanceForeachBatch} in CDC mode. Start with {@link
 * io.github.lancesink.examples.deltacdf.DeltaCdfToLance}.
 *
 * @since 0.1.0
 */
package io.github.lancesink.examples.deltacdf;
