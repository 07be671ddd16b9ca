package io.github.lancesink.testkit.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A TCP relay on 127.0.0.1 in front of the S3 server that can reset connections (TCP RST) as
 * {@link ObjectStoreFaults} asks: the next N new connections, or every connection, including
 * pooled ones already open, until the faults are cleared.
 */
final class ResettingProxy implements AutoCloseable {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private final ServerSocket server;
  private final int targetPort;
  private final ObjectStoreFaults faults;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "s3-resetting-proxy");
    t.setDaemon(true);
    return t;
  });
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  ResettingProxy(int targetPort, ObjectStoreFaults faults) throws IOException {
    this.server = new ServerSocket(0, 64, LOOPBACK);
    this.targetPort = targetPort;
    this.faults = faults;
    threads.execute(this::acceptLoop);
  }

  int port() {
    return server.getLocalPort();
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket client = server.accept();
        if (faults.takeConnectionReset()) {
          reset(client);
          continue;
        }
        Socket upstream = new Socket(LOOPBACK, targetPort);
        open.add(client);
        open.add(upstream);
        threads.execute(() -> pump(client, upstream, true));
        threads.execute(() -> pump(upstream, client, false));
      } catch (IOException e) {
        if (!closed) {
          continue; // one failed connection; keep serving
        }
      }
    }
  }

  private void pump(Socket from, Socket to, boolean request) {
    byte[] buf = new byte[64 * 1024];
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buf)) >= 0) {
        if (request && faults.resettingAllConnections()) {
          reset(from);
          reset(to);
          return;
        }
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (IOException ignored) {
      // the peer went away or was reset
    } finally {
      quietClose(from);
      quietClose(to);
    }
  }

  private void reset(Socket s) {
    try {
      s.setSoLinger(true, 0); // close() now sends RST instead of FIN
    } catch (SocketException ignored) {
      // already closed
    }
    quietClose(s);
  }

  private void quietClose(Socket s) {
    open.remove(s);
    try {
      s.close();
    } catch (IOException ignored) {
      // nothing to do
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException ignored) {
      // nothing to do
    }
    open.forEach(this::quietClose);
    threads.shutdownNow();
  }
}
