/**
 * The CLI proper, run by src/bin.ts (the `sc-doctor` binary) from the bundle (scripts/build.mjs): the process's
 * streams masked, the CLI run (src/program.ts), its exit code.
 */
import { EXIT } from "./engine/exit-code.js";
import { maskStream } from "./report/secrets.js";
import { BROKEN_PIPE, asksForHelp, internalErrorText, outputFailure, run } from "./program.js";

/** Run the CLI on `argv` (process.argv's shape) in this process, and exit with its code. */
export async function runCli(argv: readonly string[]): Promise<void> {
  // Before anything can print: no token, SAS signature, account key or IDENTITY_HEADER reaches stdout or stderr.
  maskStream(process.stdout);
  maskStream(process.stderr);

  process.on("unhandledRejection", (reason) => {
    process.stderr.write(internalErrorText(`unhandled rejection: ${reason instanceof Error ? reason.message : String(reason)}`));
    process.exit(EXIT.internal);
  });
  // stderr closed or failing (`2>&1 | head`): nothing more can be said there, and the output may be incomplete (3).
  process.stderr.on("error", () => process.exit(EXIT.unevaluated));
  // An exception thrown in an event handler (a stream's, a socket's) would exit 1 with Node's stack trace: 1 means
  // findings to a CI gate. A bug: exit 4 with one line, as every internal error.
  process.on("uncaughtException", (error) => {
    process.stderr.write(internalErrorText(error.message));
    process.exit(EXIT.internal);
  });

  // Writes to a closed pipe (`… | head`) fail with EPIPE, as an 'error' event: not a bug, and no crash. Any other
  // write failure (a full disk, `> /dev/full`) leaves the output incomplete: said, and never exit 0.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    const unwritten = outputFailure(error);
    if (error.code !== "EPIPE" && !unwritten) return;
    if (error.code === "EPIPE" && asksForHelp(argv)) process.exit(EXIT.ok);
    process.stderr.write(unwritten ?? BROKEN_PIPE);
    process.exit(EXIT.unevaluated);
  });
  const code = await run([...argv]);
  // Exit explicitly once stdout has drained: a hung request (bounded by --timeout) must not keep the process alive.
  // A reader that closed the pipe before the end is reported here too: this callback may see the EPIPE before the
  // 'error' listener above does, and the output was not delivered.
  // A write that failed otherwise (a full disk) is reported here too, before its 'error' event.
  process.stdout.write("", (error) => {
    if ((error as NodeJS.ErrnoException | null | undefined)?.code === "EPIPE" && !asksForHelp(argv)) {
      process.stderr.write(BROKEN_PIPE);
      process.exit(EXIT.unevaluated);
    }
    const unwritten = outputFailure(error);
    if (unwritten) {
      process.stderr.write(unwritten);
      process.exit(EXIT.unevaluated);
    }
    process.exit(code);
  });
}
