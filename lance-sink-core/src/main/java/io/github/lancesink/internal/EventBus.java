package io.github.lancesink.internal;

import io.github.lancesink.event.SinkEvent;
import io.github.lancesink.event.SinkEvents;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Synchronous, thread-safe event fan-out. A failing listener is logged and ignored. */
public final class EventBus implements SinkEvents {
  private static final Logger LOG = LoggerFactory.getLogger(EventBus.class);

  private final List<Consumer<? super SinkEvent>> listeners = new CopyOnWriteArrayList<>();

  @Override
  public SinkEvents onEvent(Consumer<? super SinkEvent> listener) {
    listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
    return this;
  }

  @Override
  public <E extends SinkEvent> SinkEvents on(Class<E> type, Consumer<? super E> listener) {
    java.util.Objects.requireNonNull(type, "type");
    java.util.Objects.requireNonNull(listener, "listener");
    listeners.add(
        e -> {
          if (type.isInstance(e)) {
            listener.accept(type.cast(e));
          }
        });
    return this;
  }

  public void publish(SinkEvent event) {
    for (Consumer<? super SinkEvent> l : listeners) {
      try {
        l.accept(event);
      } catch (RuntimeException e) {
        LOG.warn("lance-sink event listener failed on {}; ignored", event.getClass().getSimpleName(), e);
      }
    }
  }
}
