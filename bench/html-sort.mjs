// The HTML report's VM table at fleet size: `report -o html` of a synthetic audit of N VMs (default 12,000), opened
// in Chromium (playwright-core, the system's browser) — how long until its `load` event — then the "Findings" and
// "Name" headers clicked; prints how long each sort held the page (from the click to the next frame). With
// BENCH_BASELINE_CLI=<another build's dist/cli.cjs> the same page is rendered by that build too and the ratio printed.
//
//   npm run build && node bench/html-sort.mjs           SC_DOCTOR_HTML_VMS=12000 (default)
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { CLI, timeCommand } from "./lib.mjs";

const N = Number(process.env.SC_DOCTOR_HTML_VMS ?? 12_000);
const browserPath = process.env.SC_DOCTOR_CHROMIUM ?? "/usr/bin/chromium";
const work = mkdtempSync(join(tmpdir(), "sc-doctor-html-sort-"));

/** One saved result: a few checks, a verdict spread like a real fleet's (a tenth blocked, half degraded). */
function result(i) {
  const sub = `00000000-0000-0000-0000-${String(i % 10).padStart(12, "0")}`;
  const status = i % 10 === 0 ? "fail" : i % 2 === 0 ? "warn" : "pass";
  const checks = ["power-state", "boot-diagnostics", "storage-firewall", "rbac-vm"].map((id, k) => ({
    id,
    title: id,
    status: k === i % 4 ? status : "pass",
    reason: k === i % 4 && status !== "pass" ? `synthetic finding ${i}` : "ok",
    durationMs: 1,
    evidence: {},
  }));
  return {
    vm: { id: `/subscriptions/${sub}/resourceGroups/rg${i % 37}/providers/Microsoft.Compute/virtualMachines/vm${i}`, subscriptionId: sub },
    checks,
  };
}

const input = join(work, "audit.jsonl");
writeFileSync(input, Array.from({ length: N }, (_, i) => JSON.stringify(result(i))).join("\n") + "\n");

async function sortTimes(cli, label) {
  const page = join(work, `${label}.html`);
  const rendered = await timeCommand([cli, "report", input, "-o", "html", "--quiet"]);
  if (rendered.code !== 0 && rendered.code !== 1) throw new Error(`${label}: report exited ${rendered.code}: ${rendered.stderr}`);
  writeFileSync(page, rendered.stdout);
  const browser = await chromium.launch({ executablePath: browserPath });
  try {
    const tab = await browser.newPage();
    const opening = performance.now();
    await tab.goto(`file://${page}`, { timeout: 600_000, waitUntil: "load" });
    const times = { Load: performance.now() - opening };
    for (const [name, column] of [
      ["Findings", 7],
      ["Name", 2],
    ]) {
      times[name] = await tab.evaluate(async (column) => {
        const th = document.querySelector(`#vm-table th:nth-child(${column})`);
        const started = performance.now();
        th.querySelector("button").click(); // the handler runs synchronously: the page is held until it returns
        await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
        return performance.now() - started;
      }, column);
    }
    return times;
  } finally {
    await browser.close();
  }
}

try {
  const shown = (t) => `load ${Math.round(t.Load)} ms, sort by Findings ${Math.round(t.Findings)} ms, by Name ${Math.round(t.Name)} ms`;
  const head = await sortTimes(CLI, "head");
  console.log(`${N} VMs, this build: ${shown(head)} (sorts: click to the next frame)`);
  if (process.env.BENCH_BASELINE_CLI) {
    const base = await sortTimes(process.env.BENCH_BASELINE_CLI, "baseline");
    console.log(`${N} VMs, baseline:   ${shown(base)}`);
    const ratio = (key) => (head[key] / base[key]).toFixed(2);
    console.log(`ratio this / baseline: load ${ratio("Load")}×, Findings ${ratio("Findings")}×, Name ${ratio("Name")}×`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
