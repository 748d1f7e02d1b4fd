/**
 * A progress bar for long audits: stderr only, only on a TTY, never with --quiet. Small enough (one line, redrawn
 * at most 10×/s) that a dependency would weigh more than it.
 */
export interface Progress {
  total(n: number): void;
  tick(): void;
  done(): void;
}

const SILENT: Progress = { total: () => undefined, tick: () => undefined, done: () => undefined };

export function createProgress(stream: NodeJS.WriteStream, enabled: boolean): Progress {
  if (!enabled || !stream.isTTY) return SILENT;
  const started = performance.now();
  let total = 0;
  let count = 0;
  let lastDraw = 0;
  const draw = (force = false) => {
    const now = performance.now();
    if (!force && now - lastDraw < 100) return;
    lastDraw = now;
    const width = 30;
    const ratio = total ? count / total : 0;
    const filled = Math.round(ratio * width);
    const rate = count / Math.max(0.001, (now - started) / 1000);
    const eta = rate > 0 && total ? Math.ceil((total - count) / rate) : 0;
    stream.write(`\r[${"█".repeat(filled)}${"░".repeat(width - filled)}] ${count}/${total || "?"} VMs  ${rate.toFixed(0)}/s  ETA ${eta}s `);
  };
  return {
    total(n) {
      total = n;
      draw(true);
    },
    tick() {
      count++;
      draw();
    },
    done() {
      draw(true);
      stream.write("\n");
    },
  };
}
