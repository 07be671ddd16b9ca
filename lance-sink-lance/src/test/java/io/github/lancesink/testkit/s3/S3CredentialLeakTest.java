package io.github.lancesink.testkit.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lancesink.LanceSink;
import io.github.lancesink.policy.OptimizePolicy;
import io.github.lancesink.testkit.s3.ObjectStoreFaults.Fault;
import io.github.lancesink.testkit.s3.ObjectStoreFaults.Operation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Access key, secret key and session token never reach any output the sink produces. */
class S3CredentialLeakTest {
  @RegisterExtension static final S3ProxyExtension S3 = S3ProxyExtension.builder().build();

  @TempDir Path dir;

  /**
   * Purpose: no credential in logs (Java and Lance's native log), exception messages and whole
   * cause chains, stack traces, events, or the toString of sink, config and table. Steps: a
   * batch 0 is committed; then a child JVM (so fd 2 is captured too, with Lance's log at debug
   * and SLF4J at debug) fails batches 1-2 on a manifest outage, then fails batches 3-4 on a
   * wrong secret key; its stdout and stderr go to files.
   * Pass: the output shows the failures and holds Lance's native log lines, object-store
   * requests among them (so it is not vacuous), and contains none of the three secret values,
   * not even the wrong secret.
   */
  @Test
  void credentialsNeverAppearInAnyOutputOfAFailingRun() throws Exception {
    Map<String, String> options = S3.storageOptions();
    try (RootAllocator alloc = new RootAllocator();
        LanceSink sink = LanceSink.builder().tableUri(S3.uri("leak.lance"))
            .storageOptions(options).writerId("leak-check").vectorColumn("vector", 8)
            .optimizePolicy(OptimizePolicy.never()).build();
        ArrowReader r = Rows.reader(alloc, 0, 10, 8)) {
      assertThat(sink.write(0, r).committed()).isTrue();
    }
    S3.faults().failAlways(Operation.PUT, "_versions/", Fault.SERVICE_UNAVAILABLE);
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        "--add-opens=java.base/java.nio=ALL-UNNAMED",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=debug",
        LeakScenario.class.getName(), S3.uri("leak.lance")));
    options.forEach((k, v) -> cmd.add(k + "=" + v));
    cmd.add("client_max_retries=1");
    Path out = dir.resolve("stdout.txt");
    Path err = dir.resolve("stderr.txt");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile())
        .redirectError(err.toFile());
    pb.environment().put("LANCE_LOG", "debug");
    Process p = pb.start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("child JVM finished").isTrue();
    String stdout = Files.readString(out, StandardCharsets.UTF_8);
    String stderr = Files.readString(err, StandardCharsets.UTF_8);
    String all = stdout + "\n" + stderr;

    assertThat(p.exitValue()).as(all).isZero();
    assertThat(stdout).contains("SINK LanceSink{", "CONFIG ", "TABLE NativeLanceTable{",
        "FAILED ", "EVENT BatchFailed", S3.uri("leak.lance"));
    assertThat(stderr).as("the sink's own logging was captured").contains("lance-sink writer");
    // Lance's native (Rust) log lines, in env_logger's format, including the object-store
    // requests that would carry a credential if one leaked: without them the check below
    // would say nothing about the native side.
    java.util.regex.Matcher nativeLines = java.util.regex.Pattern.compile(
        "(?m)^\\[\\d{4}-\\d\\d-\\d\\dT\\S+ +(TRACE|DEBUG|INFO|WARN|ERROR) +lance\\w*(::\\w+)*\\]")
        .matcher(stderr);
    long nativeCount = nativeLines.results().count();
    assertThat(nativeCount).as("Lance native log lines captured").isGreaterThan(10);
    assertThat(stderr).as("Lance's object-store request log captured")
        .containsPattern("(?m)^\\[\\S+ +DEBUG +lance_io::object_store\\S*\\] (get|put|list)");
    assertThat(all).doesNotContain(S3.accessKey(), S3.secretKey(), S3.sessionToken());
  }
}
