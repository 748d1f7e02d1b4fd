// Deny assignments judged per VM (src/checks/support/deny.ts): a subscription with thousands of them (a deployment
// stack per resource group, each with its deny settings) is judged for every VM and storage account of an audit.
// Prints the time to judge 20,000 VMs (rbac-vm's and rbac-storage's actions) against 2,000 assignments — 200 at
// the subscription, 9 in each of 200 groups — and the same with a baseline measured in this run: every assignment
// of the subscription tested per VM (the scope test and action match of each, as a plain filter does), the ratio.
//
//   npm run build && node bench/deny-assignments.mjs        SC_DOCTOR_DENY_ASSIGNMENTS=2000 SC_DOCTOR_FLEET_SIZE=20000
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";

const DIST = pathToFileURL(resolve(process.env.SC_DOCTOR_DIST ?? new URL("../dist", import.meta.url).pathname)).href;
const { denials } = await import(`${DIST}/checks/support/deny.js`);
const { isPrefixScope } = await import(`${DIST}/azure/permissions.js`);
const { actionMatches } = await import(`${DIST}/checks/support/permissions.js`);

const ASSIGNMENTS = Number(process.env.SC_DOCTOR_DENY_ASSIGNMENTS ?? 2000);
const VMS = Number(process.env.SC_DOCTOR_FLEET_SIZE ?? 20_000);
const SUB = "/subscriptions/00000000-0000-0000-0000-000000000001";
const CALLER = "11111111-1111-1111-1111-111111111111";
const VM_ACTIONS = ["Microsoft.Compute/virtualMachines/read", "Microsoft.SerialConsole/serialPorts/connect/action"];
const STORAGE_ACTIONS = ["Microsoft.Storage/storageAccounts/read", "Microsoft.Storage/storageAccounts/listKeys/action"];

// Deployment stacks' deny settings (denyWriteAndDelete): everything but reads, to everyone but the stack's identity.
const listed = Array.from({ length: ASSIGNMENTS }, (_, i) => ({
  name: `stack-${i}`,
  scope: i % 10 === 0 ? SUB : `${SUB}/resourceGroups/rg-${i % 200}`,
  doNotApplyToChildScopes: false,
  principals: [{ id: "00000000-0000-0000-0000-000000000000", type: "SystemDefined" }],
  excludePrincipals: [{ id: `99999999-9999-9999-9999-${String(i).padStart(12, "0")}`, type: "ServicePrincipal" }],
  blocks: [{ actions: ["*"], notActions: ["*/read"] }],
  conditional: false,
}));
const targets = Array.from({ length: VMS }, (_, v) => [
  `${SUB}/resourceGroups/rg-${v % 300}/providers/Microsoft.Compute/virtualMachines/vm${v}`,
  `${SUB}/resourceGroups/rg-diag/providers/Microsoft.Storage/storageAccounts/diag${v % 50}`,
]);

/** The baseline: every assignment tested against each resource and action (no principal judgement: cheaper still). */
function everyAssignment(resourceId, actions) {
  return actions.filter((action) =>
    listed.some(
      (deny) =>
        isPrefixScope(deny.scope, resourceId) &&
        deny.blocks.some(
          (block) => block.actions.some((p) => actionMatches(p, action)) && !block.notActions.some((p) => actionMatches(p, action)),
        ),
    ),
  );
}

function time(judge) {
  const started = performance.now();
  let denied = 0;
  for (const [vm, account] of targets) denied += judge(vm, VM_ACTIONS) + judge(account, STORAGE_ACTIONS);
  return { ms: performance.now() - started, denied };
}

const indexed = time((id, actions) => denials(listed, id, actions, CALLER).length);
const baseline = time((id, actions) => everyAssignment(id, actions).length);
if (indexed.denied !== baseline.denied) throw new Error(`the two disagree: ${indexed.denied} vs ${baseline.denied} denials`);
const fmt = (x) => Math.round(x).toLocaleString("en-US");
console.log(`deny assignments: ${fmt(VMS)} VMs and their storage accounts judged against ${fmt(ASSIGNMENTS)} assignments`);
console.log(`  sc-doctor: ${fmt(indexed.ms)} ms (${fmt((VMS / indexed.ms) * 1000)} VMs/s); ${indexed.denied} denials`);
console.log(`  baseline (every assignment per VM): ${fmt(baseline.ms)} ms; ratio ${(baseline.ms / indexed.ms).toFixed(1)}×`);
