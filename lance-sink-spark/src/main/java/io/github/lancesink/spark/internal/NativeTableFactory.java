package io.github.lancesink.spark.internal;

import io.github.lancesink.internal.Redactor;
import io.github.lancesink.lance.NativeLanceTable;
import io.github.lancesink.spark.TableFactory;
import io.github.lancesink.spi.LanceTable;
import java.util.Map;

/** The default {@link TableFactory}: real Lance at a URI. The storage options are never printed. */
public record NativeTableFactory(String tableUri, Map<String, String> storageOptions)
    implements TableFactory {
  private static final long serialVersionUID = 1L;

  public NativeTableFactory {
    storageOptions = Map.copyOf(storageOptions);
  }

  @Override
  public LanceTable open() {
    return new NativeLanceTable(tableUri, storageOptions);
  }

  @Override
  public String toString() {
    return "NativeTableFactory{" + Redactor.uri(tableUri) + ", storageOptions="
        + Redactor.options(storageOptions) + "}";
  }
}
