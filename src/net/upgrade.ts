/**
 * Upgrade stage: a websocket upgrade with `ws` over the already validated TLS connection, as an unauthenticated
 * client. Any HTTP answer proves the path is open (the service answers a client without a session with an HTTP
 * error; a 101 proves it too). No token is ever sent: no Authorization header, no query string, no message — the
 * `az serial-console` client sends its token only as the first websocket message (custom.py), which never happens here.
 */
import type { TLSSocket } from "node:tls";
import WebSocket from "ws";
import type { Deadline } from "./deadline.js";

/**
 * Send the upgrade for `url` over `socket` and resolve with the HTTP status the endpoint answered (101 or any other);
 * reject when the connection closes or the time runs out without an HTTP answer. The socket is always released.
 */
export async function upgrade(socket: TLSSocket, url: string, deadline: Deadline, origin?: string): Promise<{ status: number }> {
  const ws = new WebSocket(url, {
    createConnection: () => socket,
    perMessageDeflate: false,
    followRedirects: false,
    headers: { "user-agent": "sc-doctor (network probe; no credentials)" },
    ...(origin ? { origin } : {}),
  });
  const answer = new Promise<{ status: number }>((resolve, reject) => {
    ws.once("upgrade", () => resolve({ status: 101 }));
    ws.once("open", () => ws.terminate());
    ws.once("unexpected-response", (req, res) => {
      resolve({ status: res.statusCode ?? 0 });
      res.resume();
      req.destroy();
    });
    ws.on("error", reject); // settles once; later errors (terminate) are ignored by the settled promise
    ws.once("close", () => reject(new Error("the connection closed without an HTTP answer")));
  });
  try {
    return await deadline.race(answer, () => ws.terminate());
  } finally {
    if (ws.readyState !== WebSocket.CLOSED) ws.terminate();
  }
}
