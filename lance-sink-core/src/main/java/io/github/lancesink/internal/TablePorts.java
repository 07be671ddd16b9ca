package io.github.lancesink.internal;

import io.github.lancesink.spi.LanceTable;
import io.github.lancesink.spi.LanceTableProvider;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Finds the table adapter for {@code LanceSink.builder().tableUri(..)} through {@link
 * ServiceLoader}: core has no Lance dependency, the adapter lives in lance-sink-lance.
 */
public final class TablePorts {
  /** The artifact that provides the real Lance adapter. */
  public static final String LANCE_ARTIFACT = "io.github.lancesink:lance-sink-lance";

  private TablePorts() {}

  /**
   * Opens {@code uri} through the first provider on the classpath that supports it.
   *
   * @throws IllegalStateException when no provider is found, naming the artifact to add
   */
  public static LanceTable open(String uri, Map<String, String> storageOptions) {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    for (ClassLoader cl : new ClassLoader[] {loader, TablePorts.class.getClassLoader()}) {
      if (cl == null) {
        continue;
      }
      for (LanceTableProvider p : ServiceLoader.load(LanceTableProvider.class, cl)) {
        if (p.supports(uri)) {
          return p.open(uri, storageOptions);
        }
      }
    }
    throw new IllegalStateException("No Lance table adapter found for " + Redactor.uri(uri)
        + ": tableUri(..) opens the table through a " + LanceTableProvider.class.getName()
        + " found by java.util.ServiceLoader, and there is none on the classpath. Fix: add the"
        + " dependency " + LANCE_ARTIFACT + " (the real Lance adapter, same version as"
        + " lance-sink-core; the lance-sink-bom aligns them), or pass a table port with"
        + " LanceSink.Builder.table(..) instead of tableUri(..).");
  }
}
