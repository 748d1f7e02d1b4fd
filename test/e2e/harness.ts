/**
 * Drive the built CLI (dist/cli.js) as a user's script would: a child process, the simulator's environment
 * (managed-identity endpoint, CA, ARM endpoint), stdout/stderr captured, exit code returned.
 */
import { spawn } from "node:child_process";
import { afterAll, beforeAll, expect } from "vitest";
import { startSimulator, type Simulator, type SimulatorOptions } from "../azure-sim/index.mjs";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import ajvFormats from "ajv-formats";
import vmSchema from "../../schema/vm-result.schema.json" with { type: "json" };

export const CLI = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));
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

/** Environment without the developer's own Azure credentials, so only the simulator's identity is used. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
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

const ajv = new Ajv({ allErrors: true, strict: false });
ajvFormats.default(ajv); // the schemas' `date-time` formats are checked, not ignored
const validateVm = ajv.compile(vmSchema);

/** Parse `--output json` and validate it against the schema shipped in the package. */
export function parseVmJson(run: CliRun): VmJson {
  let parsed: unknown;
  try {
    parsed = JSON.parse(run.stdout);
  } catch {
    throw new Error(`stdout is not JSON (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
  }
  if (!validateVm(parsed)) throw new Error(`output does not match schema/vm-result.schema.json: ${ajv.errorsText(validateVm.errors)}`);
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

/** No status may be `pass` while its reason says it could not read something. */
export function assertHonest(report: VmJson): void {
  for (const c of report.checks) {
    if (c.status === "error" && !c.reason) throw new Error(`${c.id}: error without a reason`);
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

/** `sc-doctor --vm … -o json` on a scenario: the report, checked honest, and no write seen by the simulator. */
export async function diagnose(sim: Simulator, scenario: string, args: string[] = [], vm = VM_ID) {
  sim.setScenario(scenario);
  sim.resetLog();
  const run = await runCli(["--vm", vm, "-o", "json", "--no-network", ...args], sim.env);
  const report = parseVmJson(run);
  assertHonest(report);
  expect(sim.writes, "the simulator saw a write").toHaveLength(0);
  return { run, report };
}
