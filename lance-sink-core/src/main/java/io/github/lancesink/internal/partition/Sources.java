package io.github.lancesink.internal.partition;

import io.github.lancesink.LanceSinkSettings;
import io.github.lancesink.WriteMode;
import io.github.lancesink.internal.KeyedReaderSource;
import io.github.lancesink.internal.ReaderSource;
import io.github.lancesink.spi.BatchSource;
import org.apache.arrow.vector.ipc.ArrowReader;

/** The core source for a caller's Arrow reader, as {@code LanceSink.write} would build it. */
public final class Sources {
  private Sources() {}

  public static BatchSource of(ArrowReader reader, LanceSinkSettings config) {
    return config.writeMode().kind() == WriteMode.Kind.APPEND
        ? new ReaderSource(reader, config)
        : new KeyedReaderSource(reader, config);
  }
}
