package io.github.lancesink.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.lancesink.LanceSink;
import io.github.lancesink.LanceSinkException;
import io.github.lancesink.event.SinkEvent;
import io.github.lancesink.lance.NativeLanceTable;
import io.github.lancesink.policy.Backoff;
import io.github.lancesink.policy.OptimizePolicy;
import io.github.lancesink.policy.RetryPolicy;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.Test;

/**
 * Credentials never leak: not in toString, not in exception messages (whole cause chain, stack
 * trace text included), not in events, not in log lines. The failure is real: real Lance trying
 * to reach an S3 endpoint on a closed loopback port.
 */
class SecretRedactionTest {
  static final String SECRET_KEY = "wJalrXUtnFEMI-K7MDENG-bPxRfiCYSECRET";
  static final String ACCESS_KEY = "AKIAIOSFODNN7SECRETID";
  static final String SESSION_TOKEN = "FwoGZXIvYXdzEXAMPLETOKENSECRET";
  static final String URI_PASSWORD = "uriPassw0rdSECRET";

  static final Map<String, String> OPTIONS = Map.of(
      "aws_access_key_id", ACCESS_KEY,
      "aws_secret_access_key", SECRET_KEY,
      "aws_session_token", SESSION_TOKEN,
      "aws_endpoint", "http://127.0.0.1:9",
      "aws_region", "us-east-1",
      "allow_http", "true",
      "client_max_retries", "0",
      "client_retry_timeout", "1");

  /**
   * Purpose: a failing write on an object store leaks no secret anywhere. Steps: capture stderr
   * (slf4j-simple's target) and events, write a batch to an unreachable S3 endpoint with secret
   * storage options. Pass: the write fails with a lance-sink exception; the captured log and
   * events are non-empty and, like every toString and the full stack trace text, contain none
   * of the secrets.
   */
  @Test
  void secretsNeverReachMessagesLogsEventsOrToString() throws Exception {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    List<SinkEvent> events = new ArrayList<>();
    Throwable failure;
    String strings;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try (RootAllocator allocator = new RootAllocator();
        LanceSink sink = LanceSink.builder()
            .tableUri("s3://lancesink-test-bucket/items.lance")
            .storageOptions(OPTIONS)
            .writerId("secret-writer")
            .vectorColumn("vector", 8)
            .retryPolicy(RetryPolicy.builder().maxAttempts(2).backoff(Backoff.none()).build())
            .optimizePolicy(OptimizePolicy.never())
            .build()) {
      sink.events().onEvent(events::add);
      try (ArrowReader r = TestBatch.sequential(0, 5, 8).open(allocator)) {
        failure = catchThrowable(() -> sink.write(0, r));
      }
      strings = sink + "\n" + sink.settings() + "\n" + sink.table();
    } finally {
      System.setErr(original);
    }
    assertThat(failure).isInstanceOf(LanceSinkException.class);
    String log = captured.toString(StandardCharsets.UTF_8);
    assertThat(log).contains("secret-writer");
    assertThat(events).isNotEmpty();
    StringWriter trace = new StringWriter();
    failure.printStackTrace(new PrintWriter(trace));
    for (String text : List.of(trace.toString(), log, events.toString(), strings)) {
      assertThat(text).doesNotContain(SECRET_KEY, ACCESS_KEY, SESSION_TOKEN);
    }
    assertThat(strings).contains("****", "us-east-1");
  }

  /**
   * Purpose: credentials embedded in a URI are stripped from the display URI and toString.
   * Steps: open a native table on a URI with user info and a token query. Pass: neither the
   * password nor the token appears; bucket and path do.
   */
  @Test
  void credentialsInTheUriAreRedacted() {
    try (NativeLanceTable t = new NativeLanceTable(
        "s3://user:" + URI_PASSWORD + "@bucket-a/p/t.lance?token=" + SESSION_TOKEN, OPTIONS)) {
      assertThat(t.displayUri()).isEqualTo("s3://bucket-a/p/t.lance");
      assertThat(t.toString()).doesNotContain(URI_PASSWORD, SESSION_TOKEN, SECRET_KEY)
          .contains("bucket-a");
    }
  }
}
