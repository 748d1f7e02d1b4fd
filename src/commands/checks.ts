import { CHECKS } from "../checks/index.js";
import type { CheckDefinition } from "../checks/define.js";

/** `sc-doctor checks`: id, title, the facts each check reads and the permissions the caller needs for them. */
export async function runChecksList(options: { output?: "table" | "json" }): Promise<number> {
  const checks = (CHECKS as readonly CheckDefinition[]).map((check) => ({
    id: check.id,
    title: check.title,
    reads: [...check.needs],
    dependsOn: [...(check.dependsOn ?? [])],
    permissions: [...check.permissions],
    advisory: check.advisory === true,
  }));
  if (options.output === "json") {
    process.stdout.write(`${JSON.stringify({ schemaVersion: 1, checks }, null, 2)}\n`);
    return 0;
  }
  const width = Math.max(...checks.map((c) => c.id.length));
  for (const check of checks) {
    process.stdout.write(`${check.id.padEnd(width)}  ${check.title}${check.advisory ? " (advisory)" : ""}\n`);
    process.stdout.write(`${"".padEnd(width)}  reads: ${check.reads.join(", ")}; needs: ${check.permissions.join(", ")}\n`);
  }
  return 0;
}
