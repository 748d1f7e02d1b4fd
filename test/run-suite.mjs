/**
 * `npm test` after the build: the type check and vitest side by side (the type check is one core's work for most of
 * a minute; the suite's other core would idle through it if they ran one after the other). Arguments go to vitest
 * (`npm test -- test/e2e/faults.test.ts`). Exits non-zero when either fails.
 */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);
/** The file a package's `bin` names (what npm's .bin shims run). */
function bin(name) {
  const manifest = require.resolve(`${name}/package.json`);
  const { bin } = require(manifest);
  return join(dirname(manifest), typeof bin === "string" ? bin : bin[name]);
}
const tsc = require.resolve("typescript/bin/tsc");
const vitest = bin("vitest");

function run(script, args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: "inherit" });
    child.on("error", () => resolve(1));
    child.on("close", (code) => resolve(code ?? 1));
  });
}

const [types, tests] = await Promise.all([run(tsc, ["-p", "tsconfig.json", "--noEmit"]), run(vitest, ["run", ...process.argv.slice(2)])]);
if (types !== 0) console.error(`npm test: the type check failed (exit ${types})`);
process.exitCode = types !== 0 || tests !== 0 ? 1 : 0;
