package io.github.lancesink.spark.docs;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Extracts every fenced {@code ```java} block from Markdown files and compiles it with {@code
 * javax.tools.JavaCompiler} against the test classpath, so that documentation cannot rot.
 *
 * <p>A block is compiled as one of three shapes, chosen from its text:
 *
 * <ul>
 *   <li>a compilation unit, when a line starts with {@code class}, {@code record}, {@code
 *       interface} or {@code enum} (optionally after modifiers) at column 0;
 *   <li>a class body (fields and methods), when its first code line at column 0 is an
 *       annotation, a modifier or {@code void};
 *   <li>otherwise statements, compiled as the body of a method of a {@link SnippetContext}
 *       subclass (so {@code spark}, {@code uri}, {@code batchId}, {@code arrowReader}, {@code
 *       log} and the credential names resolve).
 * </ul>
 *
 * <p>Leading {@code import} lines of a block are kept as imports; {@link #IMPORTS} are added to
 * every block. Each block gets its own package, so class names may repeat across blocks. Errors
 * are reported as {@code file:line} of the Markdown source.
 */
public final class DocSnippets {

  /** One {@code ```java} block: where it is and its text. */
  public record Snippet(String file, int line, List<String> lines) {
    /** A stable, unique package name for this block. */
    String pkg(int index) {
      return "docsnippet.s" + index;
    }
  }

  /** One compile error, located in the Markdown source. */
  public record Failure(String file, int line, String message) {
    @Override
    public String toString() {
      return file + ":" + line + ": " + message;
    }
  }

  static final List<String> IMPORTS = List.of(
      "io.github.lancesink.*", "io.github.lancesink.event.*", "io.github.lancesink.policy.*",
      "io.github.lancesink.spi.*", "io.github.lancesink.partition.*",
      "io.github.lancesink.spark.*", "io.github.lancesink.spark.partition.*",
      "io.github.lancesink.testkit.*", "io.github.lancesink.testkit.s3.*",
      "io.github.lancesink.spark.docs.MyTable", "io.github.lancesink.spark.docs.SnippetContext",
      "java.io.*", "java.nio.channels.*", "java.nio.file.*", "java.time.*", "java.util.*",
      "java.util.concurrent.atomic.*", "org.apache.arrow.memory.*",
      "org.apache.arrow.vector.ipc.*", "org.apache.spark.sql.*",
      "org.apache.spark.sql.streaming.*", "org.junit.jupiter.api.*",
      "org.junit.jupiter.api.extension.*", "org.junit.jupiter.api.io.*");

  private static final Pattern TYPE_DECL = Pattern.compile(
      "^(public |abstract |final )*(class|record|interface|enum) .*");
  private static final Pattern MEMBER_START = Pattern.compile(
      "^(@\\w+|static |private |protected |public |final |void ).*");

  private DocSnippets() {}

  /** Every {@code ```java} block of {@code markdown}; {@code file} names it in reports. */
  public static List<Snippet> extract(String file, String markdown) {
    List<Snippet> out = new ArrayList<>();
    String[] lines = markdown.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (!lines[i].strip().equals("```java")) {
        continue;
      }
      int start = i + 1;
      int end = start;
      while (end < lines.length && !lines[end].strip().startsWith("```")) {
        end++;
      }
      if (end == lines.length) {
        throw new IllegalStateException(file + ":" + (i + 1) + ": ```java block is not closed");
      }
      out.add(new Snippet(file, start + 1, List.of(lines).subList(start, end)));
      i = end;
    }
    return out;
  }

  /** The blocks of README.md and of every docs/*.md under {@code root}. */
  public static List<Snippet> extractAll(Path root) {
    List<Path> files = new ArrayList<>();
    files.add(root.resolve("README.md"));
    try (Stream<Path> s = Files.list(root.resolve("docs"))) {
      s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
      List<Snippet> out = new ArrayList<>();
      for (Path f : files) {
        out.addAll(extract(root.relativize(f).toString(), Files.readString(f)));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Compiles every snippet; returns the errors (empty when all compile). */
  public static List<Failure> compile(List<Snippet> snippets, Path outputDir) {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    if (javac == null) {
      throw new IllegalStateException("no system Java compiler: run the tests on a JDK");
    }
    List<Source> sources = new ArrayList<>();
    for (int i = 0; i < snippets.size(); i++) {
      sources.add(Source.of(snippets.get(i), i));
    }
    DiagnosticCollector<JavaFileObject> diags = new DiagnosticCollector<>();
    StringWriter out = new StringWriter();
    try (StandardJavaFileManager fm = javac.getStandardFileManager(diags, Locale.ROOT, null)) {
      List<String> options = List.of("-classpath", classpath(), "-d", outputDir.toString(),
          "-proc:none", "-nowarn", "-Xlint:none", "-implicit:none");
      javac.getTask(out, fm, diags, options, null, sources).call();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Failure> failures = new ArrayList<>();
    for (Diagnostic<? extends JavaFileObject> d : diags.getDiagnostics()) {
      if (d.getKind() != Diagnostic.Kind.ERROR) {
        continue;
      }
      if (!(d.getSource() instanceof Source s)) {
        failures.add(new Failure("?", 0, d.getMessage(Locale.ROOT)));
        continue;
      }
      int docLine = s.snippet.line() + (int) d.getLineNumber() - 1 - s.headerLines;
      failures.add(new Failure(s.snippet.file(), docLine, d.getMessage(Locale.ROOT)
          .lines().findFirst().orElse("") + "  | " + lineAt(s.snippet, docLine).strip()));
    }
    return failures;
  }

  private static String lineAt(Snippet s, int docLine) {
    int i = docLine - s.line();
    return i >= 0 && i < s.lines().size() ? s.lines().get(i) : "";
  }

  /** The test classpath: surefire's, else this JVM's. */
  static String classpath() {
    String cp = System.getProperty("surefire.test.class.path");
    return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
  }

  /** A snippet wrapped into a compilable unit; snippet line k is generated line header + k. */
  private static final class Source extends SimpleJavaFileObject {
    final Snippet snippet;
    final int headerLines;
    final String code;

    private Source(Snippet snippet, String name, int headerLines, String code) {
      super(URI.create("string:///" + name.replace('.', '/') + Kind.SOURCE.extension),
          Kind.SOURCE);
      this.snippet = snippet;
      this.headerLines = headerLines;
      this.code = code;
    }

    static Source of(Snippet s, int index) {
      List<String> body = new ArrayList<>();
      List<String> imports = new ArrayList<>();
      boolean leading = true;
      for (String l : s.lines()) {
        if (leading && l.startsWith("import ")) {
          imports.add(l);
          body.add(""); // keep line numbers
        } else {
          leading = leading && l.isBlank();
          body.add(l);
        }
      }
      String pkg = s.pkg(index);
      StringBuilder head = new StringBuilder("package " + pkg + ";");
      IMPORTS.forEach(i -> head.append(" import ").append(i).append(';'));
      head.append(" import static org.assertj.core.api.Assertions.assertThat;");
      imports.forEach(i -> head.append(' ').append(i));
      String first = body.stream().filter(l -> !l.isBlank() && !l.startsWith("//"))
          .findFirst().orElse("");
      boolean unit = body.stream().anyMatch(l -> TYPE_DECL.matcher(l).matches());
      String open;
      String close;
      if (unit) {
        open = "";
        close = "";
      } else if (MEMBER_START.matcher(first).matches()) {
        open = " class Snippet extends SnippetContext {";
        close = "}";
      } else {
        open = " class Snippet extends SnippetContext { void snippet() throws Exception {";
        close = "}}";
      }
      String code = head + open + "\n" + String.join("\n", body) + "\n" + close + "\n";
      String name = pkg + "." + (unit ? "Unit" + index : "Snippet");
      return new Source(s, name, 1, code);
    }

    @Override
    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
      return code;
    }
  }

  /** Where the repository root is: the nearest parent of the working directory with docs/. */
  public static Path repositoryRoot() {
    Path p = new File(System.getProperty("user.dir")).toPath().toAbsolutePath();
    while (p != null && !(Files.isDirectory(p.resolve("docs"))
        && Files.isRegularFile(p.resolve("README.md")))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("no README.md with docs/ above " + System.getProperty(
          "user.dir"));
    }
    return p;
  }
}
