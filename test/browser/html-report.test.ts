/**
 * `-o html` in a real browser: the built CLI writes the report (one VM from the simulator's `hostile` scenario; an
 * audit of a generated fleet with hostile error messages and a `--baseline`), headless Chromium opens it from
 * disk, and the DOM must hold what the JSON of the same run says — with no console error, no request beyond the
 * file itself, no dialog, and Azure's hostile text shown as text. Screenshots are kept in artifacts/html-report/
 * (CI keeps that folder). Without a Chromium the tests are skipped and the reason is printed.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator } from "../azure-sim/index.mjs";
import { VM_ID, runCli, type CliRun } from "../e2e/harness.js";
import { findChromium } from "./chromium.js";
import type { VmResult } from "../../src/types.js";
import { healed } from "../e2e/audit-support.js";

const ARTIFACTS = fileURLToPath(new URL("../../artifacts/html-report/", import.meta.url));
const lookup = findChromium();
if (!lookup.found) process.stderr.write(`test/browser/html-report.test.ts: SKIPPED — ${lookup.reason}\n`);

/** The `hostile` scenario's HTML (test/azure-sim/scenarios/hostile.mjs), which it puts in Azure's error messages. */
const HOSTILE_HTML = "<img src=x onerror=alert(1)>";
const KEY = `${"Qk3y".repeat(21)}ZZ==`;
const HOSTILE = `\u001b[31mRED\u001b[0m \u202etxt.exe <img src=x onerror=alert(1)> <script>window.pwned=1</script> "><svg onload=alert(2)> javascript:alert(3) sig=SECRETSIG987 AccountKey=${KEY}`;

interface Opened {
  page: Page;
  requests: string[];
  consoleErrors: string[];
  dialogs: string[];
}

let browser: Browser | undefined;

beforeAll(async () => {
  if (!lookup.found) return;
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await chromium.launch({ executablePath: lookup.path, args: ["--no-sandbox"] });
});
afterAll(async () => {
  await browser?.close();
});

/** Write the report to artifacts/ and open it from disk, recording everything the page tries to do. */
async function open(name: string, html: string): Promise<Opened> {
  if (!browser) throw new Error("no browser");
  const file = `${ARTIFACTS}${name}.html`;
  writeFileSync(file, html);
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const opened: Opened = { page, requests: [], consoleErrors: [], dialogs: [] };
  page.on("request", (request) => opened.requests.push(request.url()));
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") opened.consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => opened.consoleErrors.push(error.message));
  page.on("dialog", (dialog) => {
    opened.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
  expect(opened.requests).toEqual([pathToFileURL(file).href]);
  return opened;
}

/** What must hold on every report page, whatever it shows. */
async function expectSafe(opened: Opened, name: string): Promise<void> {
  const { page } = opened;
  await page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage: true });
  expect(opened.consoleErrors).toEqual([]);
  expect(opened.dialogs).toEqual([]);
  expect(opened.requests).toHaveLength(1);
  expect(await page.evaluate(() => "pwned" in window)).toBe(false);
  // Only our own elements: no image, frame or object, no inline event handler, links only to Microsoft docs or in-page.
  expect(await page.locator("img, iframe, object, embed, link, base, form").count()).toBe(0);
  const handlers = await page.evaluate(() =>
    Array.from(document.querySelectorAll("*")).flatMap((el) => el.getAttributeNames().filter((n) => n.startsWith("on"))),
  );
  expect(handlers).toEqual([]);
  const hrefs = await page.evaluate(() => Array.from(document.querySelectorAll("a")).map((a) => a.getAttribute("href") ?? ""));
  for (const href of hrefs) expect(href).toMatch(/^(#vm-\d+|https:\/\/learn\.microsoft\.com\/)/);
}

describe.skipIf(!lookup.found)("-o html in Chromium", () => {
  it("one VM: verdict, every check, documented errors and fixes; hostile text shown as text", async () => {
    const sim = await startSimulator({ scenario: "hostile" });
    let html: CliRun;
    let json: CliRun;
    try {
      html = await runCli(["--vm", VM_ID, "--no-network", "-o", "html"], sim.env);
      json = await runCli(["--vm", VM_ID, "--no-network", "-o", "json"], sim.env);
      expect(sim.writes).toHaveLength(0);
    } finally {
      await sim.close();
    }
    expect(html.code, html.stderr).toBe(json.code);
    const expected = JSON.parse(json.stdout) as { verdict: string; checks: { id: string; status: string; fix?: string[] }[] };
    for (const secret of ["SECRETSIG123", "SECRETKEY123"]) expect(html.stdout).not.toContain(secret);

    const opened = await open("vm", html.stdout);
    const { page } = opened;
    expect(await page.locator(".verdict").getAttribute("data-verdict")).toBe(expected.verdict);
    expect(await page.locator("table.checks tbody tr").count()).toBe(expected.checks.length);
    const notPassed = expected.checks.filter((c) => ["fail", "warn", "error"].includes(c.status));
    expect(await page.locator("section.finding").count()).toBe(notPassed.length);
    expect(await page.locator("section.finding a[href^='https://learn.microsoft.com/']").count()).toBe(notPassed.length);
    expect(await page.locator("pre.fix").count()).toBe(notPassed.filter((c) => (c.fix ?? []).length > 0).length);
    for (const check of expected.checks) {
      expect(await page.locator(`table.checks tr[data-check="${check.id}"]`).getAttribute("data-status")).toBe(check.status);
    }
    // The scenario's HTML in an Azure error message is on the page as the text a user reads, not as an element.
    expect(await page.locator("body").innerText()).toContain(HOSTILE_HTML);
    expect(await page.locator("script").count()).toBe(0);
    await expectSafe(opened, "vm");
  }, 120_000);

  it("an audit: summary charts, drift against --baseline, a table that sorts and filters", async () => {
    const sim = await startSimulator({ fleet: { vms: 40, subscriptions: 3, storageAccounts: 6, seed: 7 } });
    const env = { ...sim.env, IDENTITY_HEADER: sim.env.IDENTITY_HEADER };
    let html: CliRun;
    let json: CliRun;
    let newlyBlocked: string[];
    try {
      sim.setFaults([{ match: { path: "/providers/Microsoft.Authorization/permissions" }, kind: "403", message: HOSTILE }]);
      const args = ["audit", "--no-network", "--timeout", "5000"];
      json = await runCli([...args, "-o", "json"], env, 120_000);
      const report = JSON.parse(json.stdout) as { results: VmResult[] };
      newlyBlocked = report.results
        .filter((r) => r.verdict === "blocked")
        .slice(0, 3)
        .map((r) => r.vm.id);
      expect(newlyBlocked.length).toBeGreaterThan(0);
      const baseline = `${ARTIFACTS}baseline.json`;
      writeFileSync(
        baseline,
        JSON.stringify({
          ...report,
          results: report.results.map((r) => (newlyBlocked.includes(r.vm.id) ? healed(r) : r)),
        }),
      );
      html = await runCli([...args, "-o", "html", "--baseline", baseline], env, 120_000);
      expect(sim.writes).toHaveLength(0);
    } finally {
      await sim.close();
    }
    expect(html.code, html.stderr).toBe(json.code);
    const { summary, results } = JSON.parse(json.stdout) as {
      summary: { vms: number; ready: number; degraded: number; blocked: number; unknown: number; bySubscription: Record<string, unknown> };
      results: { vm: { location?: string } }[];
    };
    for (const secret of ["SECRETSIG987", KEY, sim.env.IDENTITY_HEADER]) expect(html.stdout).not.toContain(secret);

    const opened = await open("audit", html.stdout);
    const { page } = opened;
    const rows = page.locator("#vm-table tbody tr");
    expect(await rows.count()).toBe(summary.vms);
    for (const verdict of ["ready", "degraded", "blocked", "unknown"] as const) {
      expect(await page.locator(`.card[data-count="${verdict}"] .n`).innerText()).toBe(String(summary[verdict]));
      const bar = page.locator(`[data-chart="by-verdict"] rect[data-key="${verdict}"]`);
      expect(summary[verdict] === 0 ? await bar.count() : Number(await bar.getAttribute("data-value"))).toBe(summary[verdict]);
    }
    expect(await page.locator('[data-chart="by-subscription"] .bar-row').count()).toBe(Object.keys(summary.bySubscription).length);
    const regions = new Set(results.map((r) => r.vm.location ?? "(unknown)"));
    expect(await page.locator('[data-chart="by-region"] .bar-row').count()).toBe(regions.size);
    expect(await page.locator('[data-chart="by-check"] .bar-row').count()).toBeGreaterThan(0);
    // Drift: the VMs the baseline had as ready.
    expect(await page.locator('[data-drift="newly-blocked"] li').allInnerTexts()).toEqual([...newlyBlocked].sort());
    expect(await page.locator("details.vm").count()).toBe(summary.vms - summary.ready);

    // Filter by verdict, then by text; the count shown follows.
    await page.selectOption("#vm-verdict", "blocked");
    expect(await page.locator("#vm-table tbody tr:not([hidden])").count()).toBe(summary.blocked);
    expect(await page.locator("#vm-shown").innerText()).toBe(String(summary.blocked));
    await page.selectOption("#vm-verdict", "");
    await page.fill("#vm-filter", "rbac-vm");
    const withRbac = await page.locator("#vm-table tbody tr:not([hidden])").count();
    expect(withRbac).toBeGreaterThan(0);
    await page.fill("#vm-filter", "no-such-vm-anywhere");
    expect(await page.locator("#vm-table tbody tr:not([hidden])").count()).toBe(0);
    await page.fill("#vm-filter", "");

    // Sort by the number of findings, ascending then descending; by verdict, worst first.
    const findings = async () => (await page.locator("#vm-table tbody tr td:nth-child(7)").allInnerTexts()).map(Number);
    await page.click("#vm-table th:nth-child(7) button");
    const ascending = await findings();
    expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
    await page.click("#vm-table th:nth-child(7) button");
    const descending = await findings();
    expect(descending).toEqual([...ascending].sort((a, b) => b - a));
    expect(await page.locator("#vm-table th:nth-child(7)").getAttribute("aria-sort")).toBe("descending");
    // A VM's name in the table opens its details (a link to a closed <details> would show only its summary).
    const link = page.locator('#vm-table a[href^="#vm-"]').first();
    const target = (await link.getAttribute("href")) ?? "";
    expect(await page.locator(target).getAttribute("open")).toBeNull();
    await link.click();
    expect(await page.locator(target).getAttribute("open")).not.toBeNull();
    // By name: text, in the page's collation (case aside, digits as numbers: vm2 before vm10), rows still in the table.
    await page.click("#vm-table th:nth-child(2) button");
    const names = await page.locator("#vm-table tbody tr td:nth-child(2)").allInnerTexts();
    const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
    expect(names).toEqual([...names].sort((a, b) => collator.compare(a, b)));
    expect(names).toHaveLength(await rows.count());
    await page.click("#vm-table th:nth-child(1) button");
    await page.click("#vm-table th:nth-child(1) button");
    expect(await rows.first().getAttribute("data-verdict")).toBe(summary.blocked > 0 ? "blocked" : "unknown");

    // Inside the closed details of the VMs: textContent, not innerText (which skips what is not rendered).
    expect(await page.evaluate(() => document.body.textContent)).toContain("<img src=x onerror=alert(1)>");
    expect(await page.locator("script").count()).toBe(1);
    await expectSafe(opened, "audit");
  }, 300_000);

  it("a large audit's table shows its first 500 matching rows, more on demand, in the order chosen", async () => {
    const sub = "00000000-0000-0000-0000-000000000001";
    const lines = Array.from({ length: 1_200 }, (_, i) =>
      JSON.stringify({
        vm: { id: `/subscriptions/${sub}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm${i}`, subscriptionId: sub },
        checks: [
          { id: "power-state", title: "VM power state", status: i % 3 === 0 ? "fail" : "pass", reason: "r", durationMs: 0, evidence: {} },
        ],
      }),
    );
    const input = `${ARTIFACTS}large.jsonl`;
    writeFileSync(input, `${lines.join("\n")}\n`);
    const html = await runCli(["report", input, "-o", "html", "--quiet"], {}, 120_000);
    expect(html.code, html.stderr).toBe(1);
    // Hidden as written, before any script: a browser lays out every visible row while the page loads.
    expect(html.stdout.match(/<tr class="paged"/g)).toHaveLength(700);
    expect(html.stdout).toContain('VMs (<span id="vm-shown">500</span> of 1200 shown)');
    const opened = await open("large", html.stdout);
    const { page } = opened;
    const shown = page.locator("#vm-table tbody tr:visible");
    expect(await page.locator("#vm-table tbody tr").count()).toBe(1_200);
    expect(await shown.count()).toBe(500);
    expect(await page.locator("#vm-shown").innerText()).toBe("500");
    expect(await page.locator("#vm-more").innerText()).toBe("Show 500 more of the 700 not shown");
    await page.click("#vm-more");
    expect(await shown.count()).toBe(1_000);
    // Sorted by name, descending: the rows shown are the first of the new order.
    await page.click("#vm-table th:nth-child(2) button");
    await page.click("#vm-table th:nth-child(2) button");
    expect((await shown.locator("td:nth-child(2)").allInnerTexts()).slice(0, 2)).toEqual(["vm1199", "vm1198"]);
    // A new filter starts again from the first 500 of what it matches.
    // Printed (or saved as PDF): every row that matches, and no button.
    await page.emulateMedia({ media: "print" });
    expect(await shown.count()).toBe(1_200);
    expect(await page.locator("#vm-more").isHidden()).toBe(true);
    // …with each VM's findings, though their details are closed on screen (the print style opens them)…
    const finding = page.locator("details.vm .finding").first();
    expect(await page.locator("details.vm[open]").count()).toBe(0);
    expect(await finding.isVisible()).toBe(true);
    // …and, printing from the browser's menu, a heading that counts every row printed and the details opened.
    await page.evaluate(() => window.dispatchEvent(new Event("beforeprint")));
    expect(await page.locator("#vm-shown").innerText()).toBe("1200");
    expect(await page.locator("details.vm:not([open])").count()).toBe(0);
    await page.evaluate(() => window.dispatchEvent(new Event("afterprint")));
    expect(await page.locator("#vm-shown").innerText()).toBe("1000");
    expect(await page.locator("details.vm[open]").count()).toBe(0);
    await page.emulateMedia({ media: "screen" });
    expect(await finding.isVisible()).toBe(false);
    await page.selectOption("#vm-verdict", "blocked");
    expect(await shown.count()).toBe(400);
    expect(await page.locator("#vm-more").isHidden()).toBe(true);
    // Where scripts are blocked, every row is shown (no table script will show them on demand).
    const noScript = await (browser ?? expect.fail("no browser")).newPage({ javaScriptEnabled: false });
    await noScript.goto(pathToFileURL(`${ARTIFACTS}large.html`).href);
    expect(await noScript.locator("#vm-table tbody tr:visible").count()).toBe(1_200);
    await noScript.close();
    await expectSafe(opened, "large");
  }, 300_000);
});

describe("findChromium", () => {
  it("says why when the named browser is not there", () => {
    const lookup = findChromium({ SC_DOCTOR_CHROMIUM: "/nonexistent/chromium" });
    expect(lookup).toEqual({ found: false, reason: expect.stringContaining("/nonexistent/chromium") });
  });
});
