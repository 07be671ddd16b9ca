package io.github.lancesink.examples.deltacdf;

import java.io.PrintStream;

/**
 * Console output with one live status line. On a terminal the status line is redrawn in place
 * ({@code \r}); when the output is piped (a log file, the kill-and-restart supervisor) every
 * status update is printed as its own line starting with {@link #STATUS_TAG}.
 */
final class Terminal {
  static final String STATUS_TAG = "  [progress] ";

  private final PrintStream out;
  private final boolean live;
  private String status = "";

  Terminal(PrintStream out, boolean live) {
    this.out = out;
    this.live = live;
  }

  /** A terminal on {@code System.out}, live when a console is attached. */
  static Terminal system() {
    return new Terminal(System.out, System.console() != null);
  }

  /** Prints a normal line, keeping the status line below it. */
  synchronized void line(String text) {
    clear();
    out.println(text);
    draw();
  }

  /** Replaces the status line. */
  synchronized void status(String text) {
    if (live) {
      clear();
      status = text;
      draw();
    } else {
      status = text;
      out.println(STATUS_TAG + text);
    }
  }

  /** Ends the live status line, leaving its last text on screen. */
  synchronized void finish() {
    if (live && !status.isEmpty()) {
      out.println();
      status = "";
    }
  }

  private void clear() {
    if (live && !status.isEmpty()) {
      out.print("\r" + " ".repeat(status.length() + 2) + "\r");
    }
  }

  private void draw() {
    if (live && !status.isEmpty()) {
      out.print(STATUS_TAG.strip() + " " + status);
      out.flush();
    }
  }
}
