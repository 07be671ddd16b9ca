package io.github.lancesink.lance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.lancesink.LanceSinkException;
import io.github.lancesink.RetryableException;
import io.github.lancesink.internal.Redactor;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Classification and redaction of real object-store errors. The messages are the ones Lance
 * 7.0.0 produced against an S3-compatible server on loopback.
 */
class ObjectStoreErrorsTest {
  private static final String SLOW_DOWN =
      "LanceError(IO): Generic S3 error: Error performing PUT http://127.0.0.1:44343/b/t.lance/"
          + "_versions/18446744073709551611.manifest in 4.4ms - Server returned non-2xx status"
          + " code: 503 Service Unavailable: <Error><Code>SlowDown</Code></Error>";
  private static final String FORBIDDEN =
      "LanceError(IO): Generic S3 error: Error performing list request: Error performing GET"
          + " http://127.0.0.1:41685/b?list-type=2 - Server returned non-2xx status code:"
          + " 403 Forbidden: <Error><Code>SignatureDoesNotMatch</Code></Error>";
  private static final String NO_CONDITIONAL_PUT =
      "LanceError(IO): Generic S3 error: Error performing PUT http://127.0.0.1:33937/b/t.lance/"
          + "_versions/18446744073709551614.manifest - Server returned non-2xx status code:"
          + " 501 Not Implemented: <Error><Code>NotImplemented</Code><Message>Conditional writes"
          + " are not supported by this backend.</Message></Error>";

  @Test
  void throttlingIsTransientButAuthAndMissingFeaturesArePermanent() {
    assertThat(LanceErrors.isTransient(new IOException(SLOW_DOWN))).isTrue();
    assertThat(LanceErrors.isPermanent(new IOException(FORBIDDEN))).isTrue();
    assertThat(LanceErrors.isTransient(new IOException(FORBIDDEN))).isFalse();
    assertThat(LanceErrors.isTransient(new IOException(NO_CONDITIONAL_PUT))).isFalse();
    assertThat(LanceErrors.isTransient(
        new RuntimeException("wrapped", new IOException(SLOW_DOWN)))).isTrue();
  }

  @Test
  void shortNonSecretOptionValuesDoNotGarbleMessages() {
    Map<String, String> options = Map.of("client_max_retries", "0",
        "aws_secret_access_key", "s3cr3tValueThatMustGo", "aws_region", "us-east-1");
    String scrubbed = Redactor.scrub(SLOW_DOWN + " key=s3cr3tValueThatMustGo", options);
    assertThat(scrubbed).contains("503 Service Unavailable", "127.0.0.1:44343")
        .doesNotContain("s3cr3tValueThatMustGo").contains(Redactor.MASK);
    assertThat(Redactor.options(options)).containsEntry("client_max_retries", "0");
  }

  /**
   * Lance throws object-store failures as checked IOException through JNI. Pass: the port
   * turns a refused connection into a RetryableException naming the operation and the URI,
   * not a raw IOException, and no credential appears in the cause chain.
   */
  @Test
  void ioExceptionFromJniIsClassifiedAndRedacted() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort(); // closed again below: connections are refused
    }
    String secret = "wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY";
    Map<String, String> options = Map.of(
        "aws_access_key_id", "AKIAIOSFODNN7EXAMPLE", "aws_secret_access_key", secret,
        "aws_endpoint", "http://127.0.0.1:" + port, "aws_region", "us-east-1",
        "allow_http", "true", "client_max_retries", "0");
    try (NativeLanceTable table = new NativeLanceTable("s3://bucket/t.lance", options)) {
      Throwable t = catchThrowable(table::latestVersion);
      assertThat(t).isInstanceOf(LanceSinkException.class).isInstanceOf(RetryableException.class)
          .hasMessageContaining("s3://bucket/t.lance").hasMessageContaining("open");
      for (Throwable c = t; c != null; c = c.getCause()) {
        assertThat(c).isNotInstanceOf(IOException.class);
        assertThat(String.valueOf(c.getMessage()))
            .doesNotContain(secret, "AKIAIOSFODNN7EXAMPLE");
      }
    }
  }
}
