package io.rge.serve;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * Notices a client that closes its connection while its answer is being computed. Jetty reads a
 * connection only when a handler asks for content, so once the body is read a closed socket goes
 * unnoticed until the answer is written; this asks to be told when the socket becomes readable, and
 * a read of -1 there is the client gone. After a POST a client sends nothing until it has the
 * answer (HTTP/1.1 forbids pipelining after a non-idempotent request), so a byte read here is a
 * broken client and is treated like a closed connection. The watch cannot be withdrawn once the
 * answer is written, so the connection must close after it ({@code Connection: close}).
 */
final class DisconnectWatch {
  private DisconnectWatch() {}

  /** Runs {@code onGone} once if the request's client goes away (HTTP/1.1 connections only). */
  static void watch(jakarta.servlet.http.HttpServletRequest request, Runnable onGone) {
    ServletContextRequest jetty = ServletContextRequest.getServletContextRequest(request);
    if (jetty == null) {
      return;
    }
    EndPoint endPoint = jetty.getConnectionMetaData().getConnection().getEndPoint();
    AtomicBoolean told = new AtomicBoolean();
    arm(
        endPoint,
        () -> {
          if (told.compareAndSet(false, true)) {
            onGone.run();
          }
        });
  }

  private static void arm(EndPoint endPoint, Runnable onGone) {
    endPoint.tryFillInterested(
        Callback.from(
            () -> {
              try {
                // Jetty fills a buffer in flush mode: an empty one, with room for a byte.
                int read = endPoint.fill(BufferUtil.allocate(1));
                if (read == 0 && endPoint.isOpen()) {
                  arm(endPoint, onGone); // woken without data: keep watching
                  return;
                }
              } catch (IOException e) {
                // a reset connection: gone as well
              }
              onGone.run();
            },
            failure -> onGone.run()));
  }
}
