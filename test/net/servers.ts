/**
 * Local stand-ins for the network between a user and Serial Console, all on 127.0.0.1: the service (TLS + websocket),
 * a refused port, a TLS server that never answers, plain HTTP on the TLS port, and CONNECT proxies that allow,
 * refuse (403) or intercept TLS. Each records what it received, so tests can prove no credential was sent.
 */
import { createServer as createHttpServer, type IncomingHttpHeaders } from "node:http";
import { createServer as createHttpsServer, type Server as HttpsServer } from "node:https";
import { connect, createServer as createNetServer, type Server, type Socket } from "node:net";
import { createSecureContext } from "node:tls";
import { WebSocketServer } from "ws";
import type { KeyPair } from "./pki.js";

export interface Running {
  port: number;
  close(): Promise<void>;
}

export interface Seen {
  kind: "request" | "upgrade" | "connect";
  url: string;
  headers: IncomingHttpHeaders;
}

export interface Recording extends Running {
  seen: Seen[];
}

async function listen(server: Server): Promise<Running> {
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("no port");
  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export interface ServiceOptions {
  /** HTTP status for a websocket upgrade: 101 accepts it; anything else answers like the service to a client without a session. */
  upgradeStatus?: number;
  /** Names whose TLS handshake is cut (an SNI-filtering firewall in front of the service). */
  blockSni?: RegExp;
  /** Drop the connection on a websocket upgrade without an HTTP answer (a middlebox that blocks websockets). */
  dropUpgrade?: boolean;
}

/** The service's behaviour on an HTTPS server (listening or fed sockets by an intercepting proxy). */
function serve(server: HttpsServer, seen: Seen[], options: ServiceOptions): void {
  const wss = new WebSocketServer({ noServer: true });
  server.on("request", (req, res) => {
    seen.push({ kind: "request", url: req.url ?? "", headers: req.headers });
    res.writeHead(200, { "content-type": "text/html" }).end("<title>Serial Console</title>");
  });
  server.on("upgrade", (req, socket, head) => {
    seen.push({ kind: "upgrade", url: req.url ?? "", headers: req.headers });
    if (options.dropUpgrade) {
      socket.destroy();
      return;
    }
    const status = options.upgradeStatus ?? 101;
    if (status === 101) wss.handleUpgrade(req, socket, head, (ws) => ws.close());
    else socket.end(`HTTP/1.1 ${status} Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
  });
}

/** The Serial Console endpoint stand-in: TLS with `pair`, websocket upgrades, a console UI page. */
export async function startService(pair: KeyPair, options: ServiceOptions = {}): Promise<Recording> {
  const context = createSecureContext(pair);
  const blockSni = options.blockSni;
  const server = createHttpsServer({
    ...pair,
    SNICallback: (name, done) => (blockSni?.test(name) ? done(new Error(`SNI ${name} blocked`)) : done(null, context)),
  });
  const seen: Seen[] = [];
  serve(server, seen, options);
  return { ...(await listen(server)), seen };
}

/** A port nothing listens on (bound, then released). */
export async function refusedPort(): Promise<number> {
  const running = await listen(createNetServer());
  await running.close();
  return running.port;
}

/** Accepts TCP and never says a word: the TLS handshake cannot finish. */
export function startSilent(): Promise<Running> {
  return listen(createNetServer((socket) => socket.resume()));
}

/** Accepts TCP and cuts the connection at the first byte (a ClientHello): a handshake reset. */
export function startResetting(): Promise<Running> {
  return listen(createNetServer((socket) => socket.once("data", () => socket.resetAndDestroy())));
}

/** Plain HTTP where TLS is expected (a captive portal or transparent proxy). */
export function startPlainHttp(): Promise<Running> {
  return listen(createHttpServer((_req, res) => res.writeHead(302, { location: "http://captive.example/" }).end()));
}

export type ProxyMode = "allow" | "deny" | "intercept" | "auth";

/**
 * A CONNECT proxy. `allow` tunnels to 127.0.0.1 at the requested port (every name is local in tests); `deny`
 * answers 403; `intercept` answers 200 and terminates TLS itself with `interceptor`'s forged certificate.
 */
export async function startProxy(mode: ProxyMode, interceptor?: KeyPair, options: { tls?: KeyPair } = {}): Promise<Recording> {
  const seen: Seen[] = [];
  const inner = interceptor ? createHttpsServer(interceptor) : undefined;
  if (inner) serve(inner, seen, {});
  // An https:// proxy: the client speaks TLS to the proxy, then CONNECT inside it.
  const server = options.tls ? createHttpsServer(options.tls) : createHttpServer();
  server.on("connect", (req, client: Socket, head: Buffer) => {
    seen.push({ kind: "connect", url: req.url ?? "", headers: req.headers });
    if (mode === "deny") {
      client.end("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
      return;
    }
    if (mode === "auth") {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="corp"\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    if (mode === "intercept" && inner) {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      inner.emit("connection", client);
      return;
    }
    const port = Number((req.url ?? "").split(":").pop());
    const upstream = connect({ host: "127.0.0.1", port }, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    upstream.on("error", () => client.end("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n"));
    client.on("error", () => upstream.destroy());
  });
  const running = await listen(server);
  return { ...running, seen };
}
