package io.github.lancesink.spark.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The docs cannot rot: every {@code ```java} block in README.md and docs/*.md compiles against
 * the real lance-sink, testkit and Spark classes; the surefire argLine in docs/testkit.md is the
 * one the build uses; relative links resolve; and .ci/run runs the test command the README
 * gives. The testkit's {@code
 * DocsExampleTest} additionally runs the micro-batch driver example.
 */
class DocsSnippetsCompileTest {
  private static final Path ROOT = DocSnippets.repositoryRoot();

  @TempDir Path out;

  /**
   * Purpose: every Java snippet of the README and of docs/ compiles. Pass: no compile error;
   * a failure lists each broken snippet as "file:line: message | source line".
   */
  @Test
  void everyJavaSnippetInTheReadmeAndDocsCompiles() {
    List<DocSnippets.Snippet> snippets = DocSnippets.extractAll(ROOT);
    assertThat(snippets).as("java blocks found").hasSizeGreaterThanOrEqualTo(12);
    assertThat(snippets).extracting(DocSnippets.Snippet::file)
        .contains("README.md", "docs/partitions.md", "docs/testkit.md", "docs/spark.md");

    List<DocSnippets.Failure> failures = DocSnippets.compile(snippets, out);

    assertThat(failures).as("snippets that do not compile").isEmpty();
  }

  /**
   * Purpose: the harness really fails on a broken snippet and says where. Steps: one good and
   * two broken blocks (an unknown method in a statement snippet, a wrong type in a class-body
   * snippet) in a Markdown text. Pass: exactly the two errors, each at its Markdown line.
   */
  @Test
  void aBrokenSnippetFailsWithItsFileAndLine() {
    String md = String.join("\n",
        "# Page",                                                   // 1
        "```java",                                                  // 2
        "LanceSink sink = LanceSink.builder().tableUri(uri)",       // 3
        "    .writerId(\"w\").vectorColumn(\"vector\", 8).build();", // 4
        "```",                                                      // 5
        "```java",                                                  // 6
        "LanceSink sink = LanceSink.builder()",                     // 7
        "    .tableUri(uri).writerIdd(\"w\").build();",             // 8: no such method
        "```",                                                      // 9
        "```java",                                                  // 10
        "@Test",                                                    // 11
        "void x() {",                                               // 12
        "  int n = WriteMode.append();",                            // 13: wrong type
        "}",                                                        // 14
        "```");
    List<DocSnippets.Snippet> snippets = DocSnippets.extract("docs/broken.md", md);
    assertThat(snippets).extracting(DocSnippets.Snippet::line).containsExactly(3, 7, 11);

    List<DocSnippets.Failure> failures = DocSnippets.compile(snippets, out);

    assertThat(failures).extracting(f -> f.file() + ":" + f.line())
        .containsExactly("docs/broken.md:8", "docs/broken.md:13");
    assertThat(failures.get(0).toString()).contains("writerIdd");
    assertThat(failures.get(1).toString()).contains("incompatible types");
  }

  /**
   * Purpose: every relative link of the README and docs/ (files such as
   * ../benchmarks/results/x.md, and #heading anchors) resolves. Pass: no broken link.
   */
  @Test
  void everyRelativeLinkResolves() throws IOException {
    List<Path> files = new java.util.ArrayList<>(List.of(ROOT.resolve("README.md")));
    try (var s = Files.list(ROOT.resolve("docs"))) {
      s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
    }
    assertThat(DocLinks.broken(ROOT, files)).as("broken links").isEmpty();
    assertThat(DocLinks.broken(ROOT, List.of(write("see [x](docs/nope.md) and [y](#nowhere)"))))
        .as("the check itself finds broken links").hasSize(2);
  }

  private Path write(String text) throws IOException {
    Path f = out.resolve("probe.md");
    Files.writeString(f, "# Title\n" + text + "\n");
    return f;
  }

  /**
   * Purpose: the argLine that docs/testkit.md tells consumers to copy holds exactly the flags of
   * the parent pom's spark.add.opens (which this JVM was started with). Pass: equal sets.
   */
  @Test
  void theDocumentedSurefireArgLineIsTheBuildsFlagList() throws IOException {
    String page = Files.readString(ROOT.resolve("docs/testkit.md"));
    Matcher m = Pattern.compile("<argLine>(.*?)</argLine>", Pattern.DOTALL).matcher(page);
    assertThat(m.find()).as("an <argLine> block in docs/testkit.md").isTrue();
    Set<String> documented = new LinkedHashSet<>(Arrays.asList(m.group(1).trim().split("\\s+")));
    String fromPom = System.getProperty("spark.add.opens");
    assertThat(fromPom).as("spark.add.opens passed by surefire").isNotBlank();
    Set<String> build = new LinkedHashSet<>(Arrays.asList(fromPom.trim().split("\\s+")));
    assertThat(documented).isEqualTo(build);
    assertThat(documented).contains("--add-opens=java.base/java.nio=ALL-UNNAMED");
  }

  /**
   * Purpose: .ci/run runs the test command the README's "Two commands" block gives. Pass: the
   * README's mvn line (without its comment) is a line of .ci/run.
   */
  @Test
  void ciRunsTheReadmesTestCommand() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    Matcher m = Pattern.compile("^(mvn [^#\\n]*?)\\s*#", Pattern.MULTILINE).matcher(readme);
    assertThat(m.find()).as("an mvn command in the README").isTrue();
    List<String> ci = Files.readAllLines(ROOT.resolve(".ci/run")).stream()
        .map(String::strip).toList();
    assertThat(ci).contains(m.group(1).strip());
  }
}
