/**
 * `npm test`: the build, the type check and both vitest projects, overlapped so that two cores stay busy.
 *
 *   build ──┬──► e2e lane (the built CLI; streams its output)
 *           └──► unit lane (in-process)
 *   type check (beside the build)
 *
 * Run one after the other they leave a core idle: the build and the type check are one core's work each, and the
 * e2e lane (three workers, vitest.config.ts) spends much of its time waiting (timeouts, retry back-offs, quota
 * windows the tests make the CLI wait out), which the unit lane fills. The e2e lane's output is shown live; the
 * others' is kept and printed whole when they end, so the lines of two vitest runs never interleave. Arguments go
 * to both vitest runs (`npm test -- test/e2e/faults.test.ts`; a lane that has no matching file passes). Exits
 * non-zero when any part fails.
 */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL("..", import.meta.url));
/** The file a package's `bin` names (what npm's .bin shims run). */
function bin(name) {
  const manifest = require.resolve(`${name}/package.json`);
  const { bin } = require(manifest);
  return join(dirname(manifest), typeof bin === "string" ? bin : bin[name]);
}
const tsc = require.resolve("typescript/bin/tsc");
const vitest = bin("vitest");
const filters = process.argv.slice(2);
const vitestArgs = (project) => ["run", "--project", project, ...(filters.length ? ["--passWithNoTests", ...filters] : [])];
const started = Date.now();
const seconds = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;

let live = false;
const held = [];
/** Print a finished part's output now, or after the live part, so that no two parts' lines interleave. */
function show(block) {
  if (live) held.push(block);
  else process.stdout.write(block);
}

/** Run a part: `inherit` streams it live, otherwise its output is kept and shown when it ends. */
function run(name, script, args, { inherit = false } = {}) {
  return new Promise((resolve) => {
    if (inherit) live = true;
    const child = spawn(process.execPath, [script, ...args], { cwd: root, stdio: inherit ? "inherit" : ["ignore", "pipe", "pipe"] });
    let output = "";
    if (!inherit) {
      child.stdout.on("data", (chunk) => (output += chunk));
      child.stderr.on("data", (chunk) => (output += chunk));
    }
    const end = (code) => {
      const line = `--- npm test: ${name} ${code === 0 ? "passed" : `FAILED (exit ${code})`} at ${seconds()} ---\n`;
      if (inherit) {
        live = false;
        process.stdout.write(line + held.splice(0).join(""));
      } else show(`${output}${output.endsWith("\n") || !output ? "" : "\n"}${line}`);
      resolve(code);
    };
    child.on("error", (error) => {
      output += `${error.message}\n`;
      end(1);
    });
    child.on("close", (code) => end(code ?? 1));
  });
}

console.log("npm test: the build beside the type check, then the e2e and unit lanes side by side");
const built = run("build", join(root, "scripts/build.mjs"), []);
const e2e = built.then((code) => (code === 0 ? run("e2e lane", vitest, vitestArgs("e2e"), { inherit: true }) : code));
const unit = built.then(() => run("unit lane", vitest, vitestArgs("unit")));
const codes = await Promise.all([e2e, run("type check", tsc, ["-p", "tsconfig.json", "--noEmit"]), unit]);
const failed = codes.filter((code) => code !== 0).length;
console.log(`npm test: ${failed === 0 ? "everything passed" : `${failed} part(s) failed`} in ${seconds()}`);
process.exitCode = failed === 0 ? 0 : 1;
