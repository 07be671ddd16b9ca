/**
 * Events published by the sink: a sealed {@link io.github.lancesink.event.SinkEvent} hierarchy
 * and the {@link io.github.lancesink.event.SinkEvents} subscription point. Bind metrics (for
 * example Micrometer) by subscribing to the events.
 *
 * @since 0.1.0
 */
package io.github.lancesink.event;
