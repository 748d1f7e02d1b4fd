/** TCP stage: connect to the first address that answers, within the deadline, each address a share of it. */
import { once } from "node:events";
import { connect, type Socket } from "node:net";
import { Deadline, StageTimeout } from "./deadline.js";

/** Open a TCP connection to one of `addresses` (tried in order); the caller owns (and must destroy) the socket. */
export async function connectTcp(
  addresses: readonly string[],
  port: number,
  deadline: Deadline,
): Promise<{ socket: Socket; address: string }> {
  let lastError: unknown = new Error("no address to connect to");
  for (const [index, address] of addresses.entries()) {
    const last = index === addresses.length - 1;
    // Each address gets its share of what is left (as curl does): one that drops packets (IPv6 on a network that
    // silently discards it) must not take the budget of the addresses after it.
    const budget = last ? deadline : Deadline.after(deadline.remaining() / (addresses.length - index));
    const socket = connect({ host: address, port });
    try {
      await budget.race(once(socket, "connect"), () => socket.destroy());
      // Later errors surface through the TLS layer wrapped around this socket; never as an unhandled event.
      socket.on("error", () => undefined);
      return { socket, address };
    } catch (error) {
      socket.destroy();
      if (error instanceof StageTimeout && last) throw error;
      lastError = error;
    }
  }
  throw lastError;
}
