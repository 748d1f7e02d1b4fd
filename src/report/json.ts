import type { AuditReport, ToolInfo, VmReport, VmResult } from "../types.js";

/** `--output json` for one VM: exactly the contract's document (schemaVersion 1). */
export function vmReport(result: VmResult, tool: ToolInfo, generatedAt: string): VmReport {
  return { schemaVersion: 1, tool, generatedAt, ...result };
}

export function formatVmJson(result: VmResult, tool: ToolInfo, generatedAt: string): string {
  return `${JSON.stringify(vmReport(result, tool, generatedAt), null, 2)}\n`;
}

export function formatAuditJson(report: AuditReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
