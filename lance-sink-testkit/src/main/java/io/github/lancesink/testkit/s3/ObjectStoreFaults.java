package io.github.lancesink.testkit.s3;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Failures injected into the S3 server behind an {@link S3ProxyExtension}: every request of a
 * matching operation on a matching object key fails with the chosen {@link Fault}, for a number
 * of requests or until {@link #clear() cleared}. Rules are checked in the order they were added;
 * the first that matches and still has budget fires. Thread-safe.
 *
 * <pre>{@code
 * s3.faults().fail(Operation.PUT, "_versions/", Fault.SLOW_DOWN, 3);  // transient
 * s3.faults().failAlways(Operation.ANY, "", Fault.SERVICE_UNAVAILABLE); // persistent
 * }</pre>
 *
 * @since 0.1.0
 */
public final class ObjectStoreFaults {

  /** The S3 operation a rule applies to. */
  public enum Operation {
    /** Object uploads (PutObject, multipart parts and completion, copies). */
    PUT,
    /** Object reads (GetObject, HeadObject). */
    GET,
    /** Listings (ListObjectsV2, ListObjects). */
    LIST,
    /** Deletes. */
    DELETE,
    /** Every object operation above. */
    ANY
  }

  /** What a failing request does. */
  public enum Fault {
    /** HTTP 503 {@code SlowDown} before the request has any effect (throttling). */
    SLOW_DOWN,
    /** HTTP 503 {@code ServiceUnavailable} before the request has any effect. */
    SERVICE_UNAVAILABLE,
    /** HTTP 500 {@code InternalError} before the request has any effect. */
    INTERNAL_ERROR,
    /**
     * The request takes effect, then the response is HTTP 503: the client cannot tell whether
     * it landed. On a manifest upload this is an ambiguous commit.
     */
    SLOW_DOWN_AFTER_SUCCESS
  }

  private final List<Rule> rules = new ArrayList<>();
  private final List<Hook> hooks = new ArrayList<>();
  private int connectionResets;
  private boolean resetAll;
  private final AtomicInteger injected = new AtomicInteger();

  ObjectStoreFaults() {}

  /**
   * Fails the next {@code count} requests of {@code operation} whose object key contains {@code
   * keyFragment} (empty matches every key, e.g. {@code "_versions/"} matches manifests).
   */
  public ObjectStoreFaults fail(Operation operation, String keyFragment, Fault fault, int count) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be >= 1, was " + count);
    }
    add(new Rule(operation, keyFragment, fault, new AtomicInteger(count)));
    return this;
  }

  /** Fails every matching request until {@link #clear()} (a persistent outage). */
  public ObjectStoreFaults failAlways(Operation operation, String keyFragment, Fault fault) {
    add(new Rule(operation, keyFragment, fault, null));
    return this;
  }

  /**
   * Runs {@code action} once, just before the server handles the next {@code operation} on a
   * key containing {@code keyFragment}, e.g. to let a "concurrent writer" create the very
   * object a request is about to write.
   */
  public synchronized ObjectStoreFaults beforeNext(
      Operation operation, String keyFragment, Runnable action) {
    hooks.add(new Hook(new Rule(operation, keyFragment, Fault.SLOW_DOWN, new AtomicInteger(1)),
        Objects.requireNonNull(action, "action")));
    return this;
  }

  /**
   * Resets (TCP RST) the next {@code count} new connections to the server, before they carry
   * any request: a network failure with no effect.
   */
  public synchronized ObjectStoreFaults resetConnections(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be >= 1, was " + count);
    }
    connectionResets += count;
    return this;
  }

  /**
   * Resets every connection, new ones and pooled ones as soon as they send data, until
   * {@link #clear()}: the server is unreachable.
   */
  public synchronized ObjectStoreFaults resetAllConnections() {
    resetAll = true;
    return this;
  }

  /** Removes every rule and hook, stops connection resets and resets {@link #injectedCount()}. */
  public synchronized void clear() {
    connectionResets = 0;
    resetAll = false;
    hooks.clear();
    rules.clear();
    injected.set(0);
  }

  /** How many requests failed by injection since the last {@link #clear()}. */
  public int injectedCount() {
    return injected.get();
  }

  private synchronized void add(Rule rule) {
    rules.add(rule);
  }

  synchronized boolean takeConnectionReset() {
    if (resetAll || connectionResets > 0) {
      connectionResets = Math.max(0, connectionResets - 1);
      injected.incrementAndGet();
      return true;
    }
    return false;
  }

  synchronized boolean resettingAllConnections() {
    if (resetAll) {
      injected.incrementAndGet();
    }
    return resetAll;
  }

  /** Runs (once) the hooks that match this request. */
  void runHooks(Operation operation, String key) {
    List<Runnable> due = new ArrayList<>();
    synchronized (this) {
      for (Hook h : hooks) {
        if (h.when.matches(operation, key) && h.when.take()) {
          due.add(h.action);
        }
      }
    }
    due.forEach(Runnable::run);
  }

  /** The fault for one request, consuming one unit of the matching rule's budget. */
  synchronized Fault match(Operation operation, String key) {
    for (Rule r : rules) {
      if (r.matches(operation, key) && r.take()) {
        injected.incrementAndGet();
        return r.fault;
      }
    }
    return null;
  }

  @Override
  public synchronized String toString() {
    return "ObjectStoreFaults" + rules;
  }

  private record Hook(Rule when, Runnable action) {}

  private record Rule(Operation operation, String keyFragment, Fault fault, AtomicInteger left) {
    Rule {
      Objects.requireNonNull(operation, "operation");
      Objects.requireNonNull(keyFragment, "keyFragment");
      Objects.requireNonNull(fault, "fault");
    }

    boolean matches(Operation op, String key) {
      return (operation == Operation.ANY || operation == op)
          && (key == null ? keyFragment.isEmpty() : key.contains(keyFragment));
    }

    boolean take() {
      return left == null || left.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
    }

    @Override
    public String toString() {
      return operation.name().toLowerCase(Locale.ROOT) + " '" + keyFragment + "' -> " + fault
          + (left == null ? " (always)" : " (" + left.get() + " left)");
    }
  }
}
