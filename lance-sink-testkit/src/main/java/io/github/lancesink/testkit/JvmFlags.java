package io.github.lancesink.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks, up front, the {@code --add-opens} flags that Arrow (and Spark) need on Java 17, and
 * fails with one message that lists the missing flags and the surefire {@code argLine} to copy.
 * Without them Arrow fails in the first test with an {@code InaccessibleObjectException} and
 * every later test only says "Could not initialize class ...MemoryUtil".
 *
 * <p>The testkit runs {@link #requireArrow()} when an {@link InMemoryLanceTable} or a {@link
 * MicroBatchDriver} is built; the Spark testkit runs {@link #requireSpark()}.
 *
 * @since 0.1.0
 */
public final class JvmFlags {

  /** The flag Arrow's {@code MemoryUtil} needs (direct buffer addresses). */
  public static final List<String> ARROW = List.of("--add-opens=java.base/java.nio=ALL-UNNAMED");

  /** Spark 4.1's own launcher list ({@code JavaModuleOptions}), which includes Arrow's. */
  public static final List<String> SPARK = List.of(
      "--add-opens=java.base/java.lang=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
      "--add-opens=java.base/java.io=ALL-UNNAMED",
      "--add-opens=java.base/java.net=ALL-UNNAMED",
      "--add-opens=java.base/java.nio=ALL-UNNAMED",
      "--add-opens=java.base/java.util=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
      "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
      "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
      "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
      "--add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED");

  private static volatile boolean arrowChecked;

  private JvmFlags() {}

  /** Throws {@link IllegalStateException} listing {@link #ARROW} flags this JVM lacks. */
  public static void requireArrow() {
    if (!arrowChecked) {
      require(ARROW, "Arrow (used by the in-memory table and every lance-sink write)");
      arrowChecked = true;
    }
  }

  /** Throws {@link IllegalStateException} listing {@link #SPARK} flags this JVM lacks. */
  public static void requireSpark() {
    require(SPARK, "Spark 4.1 and Arrow");
  }

  /** The flags of {@code flags} that this JVM does not have (an empty list when all are set). */
  public static List<String> missing(List<String> flags) {
    List<String> out = new ArrayList<>();
    Module unnamed = JvmFlags.class.getClassLoader().getUnnamedModule();
    for (String flag : flags) {
      // --add-opens=<module>/<package>=ALL-UNNAMED
      String spec = flag.substring(flag.indexOf('=') + 1, flag.lastIndexOf('='));
      String module = spec.substring(0, spec.indexOf('/'));
      String pkg = spec.substring(spec.indexOf('/') + 1);
      Optional<Module> m = ModuleLayer.boot().findModule(module);
      // a module absent from this runtime cannot be opened and is not needed
      if (m.isPresent() && !m.get().isOpen(pkg, unnamed)) {
        out.add(flag);
      }
    }
    return out;
  }

  /** The message {@link #requireArrow()} and {@link #requireSpark()} fail with. */
  public static String message(List<String> missing, String who) {
    return "This JVM lacks the --add-opens flags that " + who + " need on Java 17+. Missing: "
        + String.join(" ", missing) + ". Add them to the test JVM, e.g. in Maven:"
        + " <plugin><artifactId>maven-surefire-plugin</artifactId><configuration><argLine>"
        + String.join(" ", missing) + "</argLine></configuration></plugin>"
        + " (surefire 3.x; see docs/testkit.md for the full list).";
  }

  private static void require(List<String> flags, String who) {
    List<String> missing = missing(flags);
    if (!missing.isEmpty()) {
      throw new IllegalStateException(message(missing, who));
    }
  }
}
