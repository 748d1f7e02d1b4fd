import { describe, expect, it } from "vitest";
import { createProgress, progressLine } from "../../src/report/progress.js";

function stream(isTTY: boolean) {
  const writes: string[] = [];
  return { isTTY, columns: 100, writes, write: (text: string) => writes.push(text) };
}

describe("progress on stderr", () => {
  it("nothing at all on a non-TTY, or with --quiet", () => {
    for (const [tty, enabled] of [
      [false, true],
      [true, false],
    ] as const) {
      const s = stream(tty);
      const progress = createProgress(s, enabled);
      progress.total(10);
      progress.tick();
      progress.done();
      expect(s.writes).toEqual([]);
    }
  });

  it("a bar with done/total, rate and ETA, redrawn in place at most 10×/s, ended by a newline", () => {
    let now = 0;
    const s = stream(true);
    const progress = createProgress(s, true, () => now);
    progress.total(100);
    for (let i = 0; i < 50; i++) {
      now += 20;
      progress.tick();
    }
    progress.done();
    expect(s.writes.length).toBeLessThan(15);
    expect(s.writes.every((w) => w === "\n" || w.startsWith("\r\u001b[2K"))).toBe(true);
    expect(s.writes.at(-2)).toContain("50/100 VMs");
    expect(s.writes.at(-1)).toBe("\n");
  });

  it("once ended (an interruption ends it before its message), it is never redrawn after that message", () => {
    let now = 0;
    const s = stream(true);
    const progress = createProgress(s, true, () => now);
    progress.total(10);
    progress.done();
    const ended = s.writes.length;
    for (let i = 0; i < 5; i++) {
      now += 500;
      progress.tick(); // VMs still finishing while the interruption is handled
    }
    progress.total(10);
    progress.done();
    expect(s.writes).toHaveLength(ended);
  });

  it("a terminal that reports no width (0 columns) still gets the bar, cut to 80", () => {
    const s = { ...stream(true), columns: 0 };
    createProgress(s, true).total(5);
    expect(s.writes[0]).toContain("0/5 VMs");
  });

  it.each([
    [0, 100, 1000, /0\/100 VMs {2}0\.0\/s {2}ETA \?/],
    [50, 100, 5000, /50\/100 VMs {2}10\/s {2}ETA 5s/],
    [100, 100, 5000, /100\/100 VMs .* ETA 0s/],
    [10, 1000, 1000, /ETA 1m39s/],
    [5, undefined, 1000, /5\/\? VMs/],
  ])("progressLine(%i, %s, %i ms)", (count, total, elapsed, pattern) => {
    expect(progressLine(count, total, elapsed)).toMatch(pattern);
  });
});
