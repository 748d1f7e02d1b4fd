/**
 * The CLI proper, run by src/bin.ts (the `sc-doctor` binary) from the bundle (scripts/build.mjs): the process's
 * streams masked, the CLI run (src/program.ts), its exit code.
 */
import { EXIT } from "./engine/exit-code.js";
import { maskStream } from "./report/secrets.js";
import { BROKEN_PIPE, asksForHelp, run } from "./program.js";

/** Run the CLI on `argv` (process.argv's shape) in this process, and exit with its code. */
export async function runCli(argv: readonly string[]): Promise<void> {
  // Before anything can print: no token, SAS signature, account key or IDENTITY_HEADER reaches stdout or stderr.
  maskStream(process.stdout);
  maskStream(process.stderr);

  process.on("unhandledRejection", (reason) => {
    process.stderr.write(`sc-doctor: internal error: unhandled rejection: ${reason instanceof Error ? reason.message : String(reason)}\n`);
    process.exit(EXIT.internal);
  });

  // Writes to a closed pipe (`… | head`) fail with EPIPE, as an 'error' event: not a bug, and no crash.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") return;
    if (asksForHelp(argv)) process.exit(EXIT.ok);
    process.stderr.write(BROKEN_PIPE);
    process.exit(EXIT.unevaluated);
  });
  const code = await run([...argv]);
  // Exit explicitly once stdout has drained: a hung request (bounded by --timeout) must not keep the process alive.
  // A reader that closed the pipe before the end is reported here too: this callback may see the EPIPE before the
  // 'error' listener above does, and the output was not delivered.
  process.stdout.write("", (error) => {
    if ((error as NodeJS.ErrnoException | null | undefined)?.code === "EPIPE" && !asksForHelp(argv)) {
      process.stderr.write(BROKEN_PIPE);
      process.exit(EXIT.unevaluated);
    }
    process.exit(code);
  });
}
