package io.github.lancesink.internal;

import java.io.InputStream;
import java.util.Properties;

/** The library version, filtered into a resource at build time. */
public final class LibraryVersion {
  public static final String VERSION = load();

  private LibraryVersion() {}

  private static String load() {
    try (InputStream in =
        LibraryVersion.class.getResourceAsStream("/io/github/lancesink/version.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "unknown");
    } catch (Exception e) {
      return "unknown";
    }
  }
}
