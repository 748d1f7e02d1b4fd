/**
 * Drive the CLI as a user's script would: the simulator's environment (managed-identity endpoint, CA, ARM endpoint),
 * stdout/stderr captured, exit code returned. Two ways, same results:
 * - `runCli`: the built CLI (dist/cli.js) as a child process — for what only a process shows: the stream filter on
 *   real stdout/stderr, exit codes, signals, stdin, start-up. Each e2e file keeps a few such cases.
 * - `runInProcess`: the same `run()` the binary calls (src/program.ts), in this worker, from src/ — for the
 *   matrices (scenarios, formats, hostile text, roles), without starting Node for every case.
 */
import { spawn } from "node:child_process";
import { EventEmitter } from "node:events";
import { Readable } from "node:stream";
import { ManagedIdentityApplication } from "@azure/msal-node";
import { run } from "../../src/program.js";
import { getEntry } from "../../src/catalog/index.js";
import { isInertCommand } from "../fixtures/shell.js";
import { afterAll, beforeAll, expect } from "vitest";
import { startSimulator, type Simulator, type SimulatorOptions } from "../azure-sim/index.mjs";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import ajvFormats from "ajv-formats";
import vmSchema from "../../schema/vm-result.schema.json" with { type: "json" };
import packageJson from "../../package.json" with { type: "json" };

/** The package's `bin` (package.json), as `npx sc-doctor` runs it. */
export const CLI = fileURLToPath(new URL(`../../${packageJson.bin["sc-doctor"]}`, import.meta.url));
export const SUB = "00000000-0000-0000-0000-000000000001";
export const SUB2 = "00000000-0000-0000-0000-000000000002";
export const VM_ID = `/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1`;
/** The simulator's uniform scale set instance. */
export const VMSS_ID = `/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachineScaleSets/ss1/virtualMachines/0`;

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * Environment without the developer's own Azure credentials, so only the simulator's identity is used. AZURE_CONFIG_DIR
 * stays: test/global-setup.mjs points it at an empty directory, so the developer's `az` settings stay out too.
 */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key === "AZURE_CONFIG_DIR") {
      env[key] = value;
      continue;
    }
    if (/^(AZURE_|IDENTITY_|MSI_|SC_DOCTOR_|NODE_EXTRA_CA_CERTS|HTTPS?_PROXY|https?_proxy|NO_PROXY|no_proxy|FORCE_COLOR)/.test(key))
      continue;
    env[key] = value;
  }
  return { ...env, NO_COLOR: "1", ...extra };
}

export function runCli(args: string[], env: Record<string, string> = {}, timeoutMs = 60_000): Promise<CliRun> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: cleanEnv(env), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`CLI did not exit within ${timeoutMs} ms: ${args.join(" ")}\n${stderr}`));
    }, timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** A stdout/stderr for an in-process run: keeps what is written; never a TTY (like the child's pipes). */
class Captured extends EventEmitter {
  text = "";
  write(chunk: string | Uint8Array, encoding?: unknown, callback?: unknown): boolean {
    this.text += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
    const done = typeof encoding === "function" ? encoding : callback;
    if (typeof done === "function") process.nextTick(done as () => void);
    return true;
  }
}

/** Replace this worker's environment by `next` (in place: libraries read process.env); returns the undo. */
function useEnvironment(next: NodeJS.ProcessEnv): () => void {
  const saved = { ...process.env };
  const replace = (env: NodeJS.ProcessEnv) => {
    for (const key of Object.keys(process.env)) delete process.env[key];
    Object.assign(process.env, env);
  };
  replace(next);
  return () => replace(saved);
}

/**
 * MSAL keeps the managed identity source (endpoint and header, read from the environment once) and its token cache
 * in static fields: a new process starts without them, so every in-process run must too — or a run would reuse the
 * previous run's token and never meet a wrong IDENTITY_HEADER or a failing token endpoint.
 */
function forgetManagedIdentity(): void {
  const app = ManagedIdentityApplication as unknown as { nodeStorage?: unknown };
  const client = (new ManagedIdentityApplication() as unknown as { managedIdentityClient: { constructor: { identitySource?: unknown } } })
    .managedIdentityClient.constructor;
  client.identitySource = undefined;
  app.nodeStorage = undefined;
}

let running: Promise<unknown> = Promise.resolve();

/**
 * `sc-doctor <args>` in this worker, as `runCli` would run it: `run()` of src/program.ts with the environment
 * `cleanEnv(env)` (what the child gets) and captured streams; `stdin` is what a pipe would carry (empty by default).
 * One run at a time: the environment is the process's.
 */
export function runInProcess(args: string[], env: Record<string, string> = {}, timeoutMs = 60_000, stdin?: string): Promise<CliRun> {
  const result = running.then(() => runOnce(args, env, timeoutMs, stdin));
  running = result.catch(() => undefined);
  return result;
}

async function runOnce(args: string[], env: Record<string, string>, timeoutMs: number, input: string | undefined): Promise<CliRun> {
  const started = Date.now();
  const stdout = new Captured();
  const stderr = new Captured();
  const stdin = Readable.from(input === undefined ? [] : [Buffer.from(input)]);
  const restore = useEnvironment(cleanEnv(env));
  forgetManagedIdentity();
  let timer: NodeJS.Timeout | undefined;
  try {
    const io = { stdout: stdout as unknown as NodeJS.WriteStream, stderr: stderr as unknown as NodeJS.WriteStream, stdin };
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`CLI did not finish within ${timeoutMs} ms: ${args.join(" ")}\n${stderr.text}`)),
        timeoutMs,
      );
    });
    const code = await Promise.race([run([process.execPath, CLI, ...args], io), timedOut]);
    return { code, stdout: stdout.text, stderr: stderr.text, ms: Date.now() - started };
  } finally {
    clearTimeout(timer);
    restore();
  }
}

const ajv = new Ajv({ allErrors: true, strict: false });
ajvFormats.default(ajv); // the schemas' `date-time` formats are checked, not ignored
const validateVm = ajv.compile(vmSchema);

/** Does `document` (parsed JSON) match schema/vm-result.schema.json? The errors in words when it does not. */
export function vmSchemaErrors(document: unknown): string | undefined {
  return validateVm(document) ? undefined : ajv.errorsText(validateVm.errors);
}

/** Parse `--output json` and validate it against the schema shipped in the package. */
export function parseVmJson(run: CliRun): VmJson {
  let parsed: unknown;
  try {
    parsed = JSON.parse(run.stdout);
  } catch {
    throw new Error(`stdout is not JSON (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
  }
  if (!validateVm(parsed)) throw new Error(`output does not match schema/vm-result.schema.json: ${ajv.errorsText(validateVm.errors)}`);
  // The schema allows the error object too (a run that could not evaluate): here a report is expected.
  if (typeof parsed === "object" && parsed !== null && "error" in parsed) throw new Error(`an error object, not a report: ${run.stdout}`);
  assertHonest(parsed as unknown as VmJson);
  return parsed as unknown as VmJson;
}

export interface VmJson {
  schemaVersion: 1;
  verdict: string;
  vm: { id: string; name: string; resourceGroup: string; subscriptionId: string; location?: string };
  checks: {
    id: string;
    status: string;
    reason: string;
    evidence: Record<string, unknown>;
    documentedError?: { id: string; message: string };
    mitigation?: string;
    fix?: string[];
  }[];
  correlationIds?: string[];
}

export function check(report: VmJson, id: string) {
  const found = report.checks.find((c) => c.id === id);
  if (!found) throw new Error(`no check '${id}' in output: ${report.checks.map((c) => c.id).join(", ")}`);
  return found;
}

/**
 * No `error` without its reason; each fix one command a shell runs as written (no `<user>` redirection, no `;`);
 * a documented error a check reports lists that check in the catalogue, so `sc-doctor explain` on its message
 * names the check that verifies it ("Verify with: …").
 */
export function assertHonest(report: VmJson): void {
  for (const c of report.checks) {
    if (c.status === "error" && !c.reason) throw new Error(`${c.id}: error without a reason`);
    for (const line of c.fix ?? [])
      if (!isInertCommand(line)) throw new Error(`${c.id}: fix is not one inert command when pasted: ${line}`);
    const documented = c.documentedError && getEntry(c.documentedError.id);
    if (documented && !(documented.checks as readonly string[]).includes(c.id))
      throw new Error(`${c.id} reports ${documented.id}, whose catalogue entry does not list ${c.id}`);
  }
}

/**
 * One simulator for a test file: started before its tests, closed after them. `use` receives it, e.g.
 * `let sim: Simulator; useSimulator((started) => (sim = started));`.
 */
export function useSimulator(use: (sim: Simulator) => void, options: SimulatorOptions = { scenario: "healthy" }): void {
  let started: Simulator | undefined;
  beforeAll(async () => {
    started = await startSimulator(options);
    use(started);
  });
  afterAll(async () => {
    await started?.close();
  });
}

/**
 * `sc-doctor --vm … -o json` on a scenario, in-process: the report, checked honest (`parseVmJson`), and no write seen by the
 * simulator. (The files that use it keep a few `runCli` cases for the process itself.)
 */
export async function diagnose(sim: Simulator, scenario: string, args: string[] = [], vm = VM_ID) {
  sim.setScenario(scenario);
  sim.resetLog();
  const run = await runInProcess(["--vm", vm, "-o", "json", "--no-network", ...args], sim.env);
  const report = parseVmJson(run);
  expect(sim.writes, "the simulator saw a write").toHaveLength(0);
  return { run, report };
}
