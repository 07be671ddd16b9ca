package io.github.lancesink.spi;

import java.util.Map;

/**
 * Opens a {@link LanceTable} for a URI. {@code LanceSink.builder().tableUri(..)} finds the
 * provider through {@link java.util.ServiceLoader}: the real Lance adapter, {@code
 * io.github.lancesink:lance-sink-lance}, registers one in {@code
 * META-INF/services/io.github.lancesink.spi.LanceTableProvider}. Without a provider on the
 * classpath, pass a port explicitly with {@code LanceSink.Builder.table(..)}.
 *
 * <p>An implementation needs a public no-argument constructor. When several providers are on the
 * classpath, the sink uses the first whose {@link #supports} accepts the URI.
 *
 * @since 0.1.0
 */
public interface LanceTableProvider {

  /** True when this provider can open {@code uri}; the default accepts every URI. */
  default boolean supports(String uri) {
    return true;
  }

  /**
   * Opens the table at {@code uri} with {@code storageOptions} (endpoint, region, keys...).
   * Must not touch storage: the table is read on first use, and the dataset may not exist yet.
   * The caller closes the returned table.
   */
  LanceTable open(String uri, Map<String, String> storageOptions);
}
