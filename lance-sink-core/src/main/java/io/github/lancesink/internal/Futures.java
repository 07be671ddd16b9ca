package io.github.lancesink.internal;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Waiting on work that must finish before the caller releases what it reads. */
public final class Futures {
  private Futures() {}

  /**
   * Waits for {@code f} even when interrupted (the task still uses resources the caller closes
   * next, such as a snapshot or an allocator), then restores the interrupt flag.
   *
   * @throws ExecutionException when the task failed
   */
  public static <T> T getUninterruptibly(Future<T> f) throws ExecutionException {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return f.get();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
