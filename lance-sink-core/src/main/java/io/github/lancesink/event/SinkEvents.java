package io.github.lancesink.event;

import java.util.function.Consumer;

/**
 * Where listeners subscribe to a sink's {@link SinkEvent}s. Listeners run synchronously on the
 * thread that produced the event; a listener that throws is logged and never affects a batch.
 *
 * @since 0.1.0
 */
public interface SinkEvents {

  /** Subscribes to every event. */
  SinkEvents onEvent(Consumer<? super SinkEvent> listener);

  /** Subscribes to events of one type, e.g. {@code on(SinkEvent.DuplicateSkipped.class, ...)}. */
  <E extends SinkEvent> SinkEvents on(Class<E> type, Consumer<? super E> listener);
}
