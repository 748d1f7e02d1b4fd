import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { readCappedBody } from "../../src/azure/blob-body.js";

/** `count` chunks of `size` bytes each, made on demand (never all in memory at once). */
function chunks(count: number, size: number, fill = (i: number) => Buffer.alloc(size, 0x61 + (i % 26))): Readable {
  let i = 0;
  return new Readable({
    read() {
      this.push(i < count ? fill(i++) : null);
    },
  });
}

describe("readCappedBody", () => {
  it("keeps only the last bytes of a body far larger than asked for (a server that ignored the range), and counts it all", async () => {
    const body = await readCappedBody(chunks(400, 256 * 1024), { keepLast: 2 * 1024 * 1024 });
    expect(body.totalBytes).toBe(400 * 256 * 1024);
    expect(body.kept.length).toBe(2 * 1024 * 1024);
    // The very end: the last chunk's letter.
    expect(body.kept.at(-1)).toBe(0x61 + (399 % 26));
  });

  it("starts what it keeps at a character's first byte, not inside a multi-byte one", async () => {
    const text = "é".repeat(10); // 2 bytes each
    const body = await readCappedBody(Readable.from([Buffer.from(text)]), { keepLast: 5 });
    expect(body.kept.toString("utf8")).toBe("éé");
    expect(body.totalBytes).toBe(20);
  });

  it("a body within its bounds is kept whole", async () => {
    const body = await readCappedBody(Readable.from([Buffer.from("vm1 login: "), Buffer.from("\n")]), { keepLast: 100 });
    expect(body).toEqual({ kept: Buffer.from("vm1 login: \n"), totalBytes: 12 });
  });
});
