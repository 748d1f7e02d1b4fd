/**
 * A progress bar for long audits: stderr only, only on a TTY, never with --quiet. One line, redrawn at most 10×/s:
 * done/total, rate, ETA. Small enough that a dependency (cli-progress, listr2) would weigh more than it.
 */

/** `TERM=dumb`: a terminal (an editor's shell buffer, a CI log viewer) that shows escape sequences as text. */
export function dumbTerminal(): boolean {
  return process.env["TERM"] === "dumb";
}

export interface Progress {
  total(n: number): void;
  tick(): void;
  done(): void;
}

/** The part of a stream the bar uses (process.stderr in the CLI; a fake in tests). */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

const SILENT: Progress = { total: () => undefined, tick: () => undefined, done: () => undefined };
const REDRAW_MS = 100;

function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  if (seconds < 60) return `${Math.ceil(seconds)}s`;
  return `${Math.floor(seconds / 60)}m${String(Math.ceil(seconds % 60)).padStart(2, "0")}s`;
}

/** The bar's text for `count` of `total` after `elapsedMs` (pure, for tests). */
export function progressLine(count: number, total: number | undefined, elapsedMs: number, width = 30): string {
  const ratio = total ? Math.min(1, count / total) : 0;
  const filled = Math.round(ratio * width);
  const rate = count / Math.max(0.001, elapsedMs / 1000);
  const eta = total === undefined ? "?" : count >= total ? "0s" : rate > 0 ? formatEta((total - count) / rate) : "?";
  return `[${"█".repeat(filled)}${"░".repeat(width - filled)}] ${count}/${total ?? "?"} VMs  ${rate.toFixed(rate < 10 ? 1 : 0)}/s  ETA ${eta}`;
}

export function createProgress(stream: ProgressStream, enabled: boolean, now: () => number = () => performance.now()): Progress {
  // TERM=dumb shows the bar's `\r` and erase-line escapes as text.
  if (!enabled || stream.isTTY !== true || dumbTerminal()) return SILENT;
  // The clock starts when the fleet is known: enumeration time is not evaluation rate.
  let started = now();
  let total: number | undefined;
  let count = 0;
  let lastDraw = -Infinity;
  let finished = false;
  const draw = (force: boolean) => {
    // Ended (done, or an interruption's message follows): never drawn again, so no bar lands after the message.
    if (finished) return;
    const at = now();
    if (!force && at - lastDraw < REDRAW_MS) return;
    lastDraw = at;
    const line = progressLine(count, total, at - started);
    const columns = stream.columns || 80; // 0 when the terminal does not say
    // \r + erase-line: redraw in place; cut to the terminal width so the line never wraps.
    stream.write(`\r\u001b[2K${line.length >= columns ? line.slice(0, Math.max(0, columns - 1)) : line}`);
  };
  return {
    total(n) {
      total = n;
      started = now();
      draw(true);
    },
    tick() {
      count++;
      draw(false);
    },
    done() {
      if (finished) return;
      draw(true);
      finished = true;
      stream.write("\n");
    },
  };
}
