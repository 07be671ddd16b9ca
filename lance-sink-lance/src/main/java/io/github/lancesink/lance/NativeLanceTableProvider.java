package io.github.lancesink.lance;

import io.github.lancesink.spi.LanceTable;
import io.github.lancesink.spi.LanceTableProvider;
import java.util.Map;

/**
 * Registers {@link NativeLanceTable} with {@link java.util.ServiceLoader}, so that {@code
 * LanceSink.builder().tableUri(..)} opens real Lance datasets when this jar is on the classpath.
 *
 * @since 0.1.0
 */
public final class NativeLanceTableProvider implements LanceTableProvider {

  /** Called by {@link java.util.ServiceLoader}. */
  public NativeLanceTableProvider() {}

  @Override
  public LanceTable open(String uri, Map<String, String> storageOptions) {
    return new NativeLanceTable(uri, storageOptions);
  }
}
