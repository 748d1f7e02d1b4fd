/** TCP stage: connect to the first address that answers, within the deadline. */
import { once } from "node:events";
import { connect, type Socket } from "node:net";
import { StageTimeout, type Deadline } from "./deadline.js";

/** Open a TCP connection to one of `addresses` (tried in order); the caller owns (and must destroy) the socket. */
export async function connectTcp(
  addresses: readonly string[],
  port: number,
  deadline: Deadline,
): Promise<{ socket: Socket; address: string }> {
  let lastError: unknown = new Error("no address to connect to");
  for (const address of addresses) {
    const socket = connect({ host: address, port });
    try {
      await deadline.race(once(socket, "connect"), () => socket.destroy());
      // Later errors surface through the TLS layer wrapped around this socket; never as an unhandled event.
      socket.on("error", () => undefined);
      return { socket, address };
    } catch (error) {
      socket.destroy();
      if (error instanceof StageTimeout) throw error;
      lastError = error;
    }
  }
  throw lastError;
}
