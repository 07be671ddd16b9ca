package io.github.lancesink.testkit.s3;

import io.github.lancesink.LanceSink;
import io.github.lancesink.policy.Backoff;
import io.github.lancesink.policy.OptimizePolicy;
import io.github.lancesink.policy.RetryPolicy;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;

/**
 * Run in a child JVM by {@link S3CredentialLeakTest} so that everything it prints, including
 * Lance's native (Rust) log lines written straight to file descriptor 2, lands in one file.
 * Fails batches 1 and 2 against a server whose manifest uploads fail (the table exists), then
 * fails again with a wrong secret key, printing every exception chain, event and {@code
 * toString} a user could see.
 *
 * <p>Arguments: table URI, then storage options as {@code key=value}.
 */
public final class LeakScenario {
  private LeakScenario() {}

  public static void main(String[] args) throws Exception {
    String uri = args[0];
    Map<String, String> options = new HashMap<>();
    for (int i = 1; i < args.length; i++) {
      int eq = args[i].indexOf('=');
      options.put(args[i].substring(0, eq), args[i].substring(eq + 1));
    }
    run(uri, options, 1);
    Map<String, String> wrong = new HashMap<>(options);
    wrong.put("aws_secret_access_key", options.get("aws_secret_access_key") + "x");
    run(uri, wrong, 3);
  }

  private static void run(String uri, Map<String, String> options, long batch) throws Exception {
    try (RootAllocator alloc = new RootAllocator();
        LanceSink sink =
            LanceSink.builder()
                .tableUri(uri)
                .storageOptions(options)
                .writerId("leak-check")
                .vectorColumn("vector", 8)
                .optimizePolicy(OptimizePolicy.never())
                .retryPolicy(RetryPolicy.builder().maxAttempts(2)
                    .backoff(Backoff.fixed(Duration.ofMillis(1))).build())
                .build()) {
      sink.events().onEvent(e -> System.out.println("EVENT " + e));
      System.out.println("SINK " + sink);
      System.out.println("CONFIG " + sink.settings());
      System.out.println("TABLE " + sink.table());
      for (long b = batch; b < batch + 2; b++) {
        try (ArrowReader r = Rows.reader(alloc, b * 10, 10, 8)) {
          System.out.println("RESULT " + sink.write(b, r));
        } catch (RuntimeException e) {
          System.out.println("FAILED " + e.getClass().getName() + ": " + e.getMessage());
          e.printStackTrace(System.out);
          for (Throwable t = e; t != null; t = t.getCause()) {
            System.out.println("CAUSE " + t);
          }
        }
      }
    }
  }
}
