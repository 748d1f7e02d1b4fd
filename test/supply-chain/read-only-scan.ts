/**
 * A static read-only audit of the source: sc-doctor must never be able to change an Azure resource
 * (docs/contract.md: no PUT/PATCH/DELETE, no state-changing POST, never open a console session). The scanner works on
 * source text with comments removed, so documentation may still mention `listKeys` or `enableConsole`.
 */
export interface Finding {
  file: string;
  line: number;
  rule: string;
  text: string;
}

/** Remove block and line comments, keeping line numbers (strings that contain `//`, such as URLs, survive). */
export function stripComments(source: string): string {
  return source
    .replace(/\/\*[\s\S]*?\*\//g, (block) => block.replace(/[^\n]/g, " "))
    .replace(/(^|[^:"'`\\])\/\/.*$/gm, (_m, before: string) => before);
}

// Any HTTP verb other than GET/POST written as a string literal is a write waiting to happen.
const WRITE_METHOD = /["'`](PUT|PATCH|DELETE|MERGE)["'`]/;
// ARM operations that change state or hand out secrets. `/connect` opens a console session (and kicks the current
// user); listKeys/listAccountSas return account secrets; the rest are VM/console actions.
const FORBIDDEN_PATH =
  /\/(connect|enableConsole|disableConsole|listKeys|regenerateKey|listAccountSas|listServiceSas|start|restart|powerOff|deallocate|reapply|redeploy|reimage|runCommand|performMaintenance|simulateEviction|write|delete|action)(?![A-Za-z0-9])/;
// Calls that send an HTTP request through the ARM context (`x.getJson(`, `x.postJson(`, `listAll(`, not their
// declarations); their argument list is what we inspect.
const ARM_CALL = /(?:\.(getJson|postJson)|(?<!function\s)\b(listAll))\s*\(/g;
// Management SDKs expose begin*/create*/delete* methods: they are imported in one file only (src/azure/clients.ts),
// and every call on one of their operation groups (or the Serial Console client) is checked against write verbs.
const MANAGEMENT_SDK = /from\s+["']@azure\/arm-|import\(\s*["']@azure\/arm-/;
const MANAGEMENT_SDK_ALLOWED = "src/azure/clients.ts";
const CLIENT_CALL =
  /\.(virtualMachines|virtualMachineScaleSetVMs|virtualMachineScaleSets|storageAccounts|subscriptions|tenants|permissions|roleAssignments|roleDefinitions|managementLocks|serialPorts)\.(\w+)\s*\(|\.(enableConsole|disableConsole)\s*\(/g;
// Operation names that change state or hand out secrets, as the generated clients name them.
const WRITE_OPERATION =
  /^(begin|create|delete|update|put|patch|set|regenerate|revoke|grant|enable|disable|start|restart|power|deallocate|reapply|redeploy|reimage|run|perform|simulate|capture|convert|generalize|migrate|attach|detach|install|assess|failover|hibernate|listKeys|listAccountSas|listServiceSas|restore|connect|approve|reject|validate|move|check)/i;
// Raw HTTP clients outside the two places allowed to talk to the network.
const RAW_HTTP = /\bfrom\s+["'](node:)?(http|https|undici)["']|\bfetch\s*\(/;
const RAW_HTTP_ALLOWED = /^src\/(azure\/arm\.ts|net\/)/;
const GRAPH_RESOURCES = "/providers/Microsoft.ResourceGraph/resources?";
// The one other read-only POST: it returns short-lived SAS links to the serial log and changes nothing.
const BOOT_DIAGNOSTICS_DATA = "/retrieveBootDiagnosticsData?";

/** The text of a call's argument list (up to the matching parenthesis). */
function callArguments(code: string, open: number): string {
  let depth = 0;
  for (let i = open; i < code.length; i++) {
    if (code[i] === "(") depth++;
    else if (code[i] === ")" && --depth === 0) return code.slice(open + 1, i);
  }
  return code.slice(open + 1);
}

export function scanSource(file: string, source: string): Finding[] {
  const code = stripComments(source);
  const findings: Finding[] = [];
  const lineOf = (index: number) => code.slice(0, index).split("\n").length;
  code.split("\n").forEach((text, i) => {
    if (WRITE_METHOD.test(text)) findings.push({ file, line: i + 1, rule: "write-method", text: text.trim() });
    // `import type` loads nothing at run time: types of a client may be named anywhere in src/azure.
    if (MANAGEMENT_SDK.test(text) && !/^\s*import\s+type\b/.test(text) && file !== MANAGEMENT_SDK_ALLOWED)
      findings.push({ file, line: i + 1, rule: "management-sdk", text: text.trim() });
    if (RAW_HTTP.test(text) && !RAW_HTTP_ALLOWED.test(file)) findings.push({ file, line: i + 1, rule: "raw-http", text: text.trim() });
  });
  for (const match of code.matchAll(CLIENT_CALL)) {
    const operation = match[2] ?? match[3] ?? "";
    if (WRITE_OPERATION.test(operation)) findings.push({ file, line: lineOf(match.index ?? 0), rule: "client-write", text: match[0] });
  }
  for (const match of code.matchAll(ARM_CALL)) {
    const index = match.index ?? 0;
    const args = callArguments(code, index + match[0].length - 1);
    if (FORBIDDEN_PATH.test(args)) findings.push({ file, line: lineOf(index), rule: "forbidden-path", text: args.trim().slice(0, 160) });
    // POST is allowed for two read-only endpoints only: the Resource Graph query and retrieveBootDiagnosticsData.
    if (match[1] === "postJson" && !args.includes(GRAPH_RESOURCES) && !args.includes(BOOT_DIAGNOSTICS_DATA)) {
      findings.push({ file, line: lineOf(index), rule: "post-not-resource-graph", text: args.trim().slice(0, 160) });
    }
  }
  // The definition of postJson itself (arm.ts) is the one place that may name the POST verb.
  for (const match of code.matchAll(/["'`]POST["'`]/g)) {
    const index = match.index ?? 0;
    const line = code.split("\n")[lineOf(index) - 1] ?? "";
    if (!(file === "src/azure/arm.ts" && /postJson|method: "GET" \| "POST"/.test(line))) {
      findings.push({ file, line: lineOf(index), rule: "post-outside-postJson", text: line.trim() });
    }
  }
  return findings;
}
