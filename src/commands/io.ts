/**
 * The streams the CLI reads and writes: the process's own, or those of an in-process run (`run(argv, io)` in
 * src/program.ts — the test suite drives the whole CLI that way without starting Node for every case). Carried by
 * an AsyncLocalStorage so that every command, the progress bar and the --verbose trace write to the run's streams
 * without each function taking them as a parameter.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { RedactionLabels } from "../report/redact.js";

export interface CliIo {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  stdin: NodeJS.ReadableStream;
  /** With `--redact`: the run's labels, shared by its report and its stderr (src/commands/render.ts). */
  labels?: RedactionLabels;
}

const scoped = new AsyncLocalStorage<CliIo>();

/** The current run's streams; the process's own outside `withCliIo`. */
export function cliIo(): CliIo {
  return scoped.getStore() ?? { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin };
}

/** Run `body` with `io` as the CLI's streams (for everything it awaits, timers and callbacks included). */
export function withCliIo<T>(io: CliIo, body: () => Promise<T>): Promise<T> {
  return scoped.run(io, body);
}
