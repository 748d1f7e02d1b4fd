/** Helpers for the audit end-to-end tests: the naive per-VM runner, schema validation, comparable results. */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import ajvFormats from "ajv-formats";
import auditSchema from "../../schema/audit-result.schema.json" with { type: "json" };
import vmSchema from "../../schema/vm-result.schema.json" with { type: "json" };
import type { AuditReport, VmResult } from "../../src/types.js";
import { cleanEnv } from "./harness.js";

/** Fleet size for the audit e2e tests; SC_DOCTOR_FLEET_SIZE=10000 runs the full size. */
export const FLEET_SIZE = Number(process.env["SC_DOCTOR_FLEET_SIZE"] ?? 300);

const NAIVE = fileURLToPath(new URL("../fleet/naive-runner.mjs", import.meta.url));

/** `sc-doctor --vm` for each id — diagnoseVm in a child process with the simulator's environment. */
export function diagnoseEach(
  ids: readonly string[],
  env: Record<string, string>,
  options: { principal?: string; concurrency?: number } = {},
): Promise<VmResult[]> {
  const concurrency = options.concurrency ?? 16;
  const dir = mkdtempSync(join(tmpdir(), "sc-doctor-audit-"));
  writeFileSync(join(dir, "ids.txt"), `${ids.join("\n")}\n`);
  const out = join(dir, "results.jsonl");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [NAIVE, join(dir, "ids.txt"), String(concurrency), out], {
      env: cleanEnv({ ...env, ...(options.principal ? { SC_DOCTOR_PRINCIPAL: options.principal } : {}) }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`naive runner exited ${code}: ${stderr}`));
      resolve(
        readFileSync(out, "utf8")
          .split("\n")
          .filter(Boolean)
          .map((line) => JSON.parse(line) as VmResult),
      );
    });
  });
}

const ajv = new Ajv({ allErrors: true, strict: false });
ajvFormats.default(ajv); // the schemas' `date-time` formats are checked, not ignored
ajv.addSchema(vmSchema, "vm-result.schema.json");
const validateAudit = ajv.compile(auditSchema);

/** Does `document` (parsed JSON) match schema/audit-result.schema.json? The errors in words when it does not. */
export function auditSchemaErrors(document: unknown): string | undefined {
  return validateAudit(document) ? undefined : ajv.errorsText(validateAudit.errors);
}

/** Parse `audit --output json` and validate it against schema/audit-result.schema.json. */
export function parseAuditJson(stdout: string): AuditReport {
  const parsed: unknown = JSON.parse(stdout);
  if (!validateAudit(parsed)) throw new Error(`audit output does not match the schema: ${ajv.errorsText(validateAudit.errors)}`);
  // The schema allows the error object too (an audit that could not evaluate): here a report is expected.
  if (typeof parsed === "object" && parsed !== null && "error" in parsed) throw new Error(`an error object, not a report: ${stdout}`);
  return parsed as unknown as AuditReport;
}

/** What must be identical between audit and --vm: everything but timings and correlation ids. */
export function comparable(result: VmResult) {
  return { vm: result.vm, verdict: result.verdict, checks: result.checks.map(({ durationMs: _, ...rest }) => rest) };
}

export const byId = <T extends { vm: { id: string } }>(results: T[]) => new Map(results.map((r) => [r.vm.id.toLowerCase(), r]));

/**
 * `result` as a healthier run would have saved it: every check that failed or errored passing, so `ready` (a saved
 * verdict is recomputed from its checks, as `report` does: one edited alone would not stand).
 */
export function healed<T extends VmResult>(result: T): T {
  const checks = result.checks.map((check) =>
    check.status === "fail" || check.status === "error" ? { ...check, status: "pass" as const } : check,
  );
  return { ...result, verdict: "ready", checks };
}
