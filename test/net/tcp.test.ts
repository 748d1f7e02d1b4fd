/**
 * The TCP stage over several addresses: each gets a share of the budget, so one whose packets vanish (IPv6 on a
 * network that drops it, a firewall's blackhole) does not cost the addresses after it their chance.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Deadline } from "../../src/net/deadline.js";
import { connectTcp } from "../../src/net/tcp.js";

// A socket that listens with a full backlog and never accepts drops the SYNs that follow: a blackhole, locally.
// Node always accepts, so a small Python script holds it (skipped where there is no python3).
const BLACKHOLE = `
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.2", 0)); s.listen(0)
fill = []
for i in range(4):
    c = socket.socket(); c.setblocking(False)
    try: c.connect(s.getsockname())
    except BlockingIOError: pass
    fill.append(c)
print(s.getsockname()[1], flush=True)
time.sleep(60)
`;
const hasPython = spawnSync("python3", ["--version"]).status === 0;

describe.skipIf(!hasPython)("connectTcp over several addresses", () => {
  let blackhole: ChildProcess;
  let blackholePort = 0;

  beforeAll(async () => {
    blackhole = spawn("python3", ["-c", BLACKHOLE], { stdio: ["ignore", "pipe", "inherit"] });
    blackholePort = await new Promise<number>((resolve) =>
      blackhole.stdout?.once("data", (chunk: Buffer) => resolve(Number(String(chunk).trim()))),
    );
  });
  afterAll(() => {
    blackhole?.kill();
  });

  it("the blackhole really swallows connections (else this test proves nothing)", async () => {
    await expect(connectTcp(["127.0.0.2"], blackholePort, Deadline.after(600))).rejects.toThrow(/--timeout budget/);
  });

  it("an address that never answers leaves the next its share: connected to the second, within the budget", async () => {
    // Both addresses on one port: the blackhole's on 127.0.0.2, an echo server's on 127.0.0.1.
    const forward = createServer((socket) => socket.pipe(socket));
    await new Promise<void>((resolve) => forward.listen(blackholePort, "127.0.0.1", resolve));
    try {
      const started = performance.now();
      const { socket, address } = await connectTcp(["127.0.0.2", "127.0.0.1"], blackholePort, Deadline.after(2000));
      socket.destroy();
      expect(address).toBe("127.0.0.1");
      expect(performance.now() - started).toBeLessThan(1900);
    } finally {
      forward.close();
    }
  });
});
