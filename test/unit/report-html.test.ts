/**
 * `-o html` in-process (the browser test in test/browser/ renders it; this holds where no browser is installed):
 * the page is self-contained, its one script is the one its Content-Security-Policy allows, Azure's text is
 * escaped, and the audit page carries the summary, drift and table rows it should.
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { htmlText } from "../../src/report/escape.js";
import { barChart } from "../../src/report/html-charts.js";
import formatHtml from "../../src/report/html.js";
import { BLOCKED, HOSTILE, READY, summaryOf } from "../fixtures/results.js";

const meta = { tool: { name: "sc-doctor" as const, version: "1.2.3" }, generatedAt: "2026-11-25T02:00:00.000Z" };
const opts = { redact: false, color: false };
const drift = { newlyBlocked: [BLOCKED.vm.id], fixed: [], stillBlocked: [] };
const auditPage = formatHtml({ ...meta, results: [READY, BLOCKED], summary: { ...summaryOf([READY, BLOCKED]), drift } }, opts);
const vmPage = formatHtml({ ...meta, results: [BLOCKED] }, opts);

const count = (text: string, pattern: RegExp) => (text.match(pattern) ?? []).length;

describe("html", () => {
  it("is one self-contained document: nothing to fetch", () => {
    for (const page of [vmPage, auditPage]) {
      expect(page).toMatch(/^<!doctype html>/);
      expect(page).toContain("default-src 'none'");
      expect(page).not.toMatch(/<(link|img|iframe|object|embed)\b/i);
      expect(page).not.toMatch(/\ssrc\s*=/i);
      expect(page).not.toMatch(/url\(/i);
      expect(page).not.toMatch(/@import/i);
    }
  });

  it("runs only the script whose hash its Content-Security-Policy lists (none on a VM page)", () => {
    expect(count(vmPage, /<script\b/g)).toBe(0);
    expect(vmPage).toContain("script-src 'none'");
    const script = /<script>([\s\S]*?)<\/script>/.exec(auditPage)?.[1] ?? "";
    const hash = createHash("sha256").update(script, "utf8").digest("base64");
    expect(auditPage).toContain(`script-src 'sha256-${hash}'`);
  });

  it("one VM: verdict, a row per check, a finding with its document per check not passed", () => {
    expect(vmPage).toContain('data-verdict="blocked"');
    expect(count(vmPage, /<tr data-check=/g)).toBe(BLOCKED.checks.length);
    const notPassed = BLOCKED.checks.filter((c) => ["fail", "warn", "error"].includes(c.status));
    expect(count(vmPage, /<section class="finding/g)).toBe(notPassed.length);
    expect(vmPage).toContain("az storage account network-rule add --account-name bootdiag01");
  });

  it("an audit: summary counts, the charts, drift and a table row per VM", () => {
    expect(auditPage).toMatch(/data-count="blocked"><div class="n">1</);
    for (const chart of ["by-verdict", "by-check", "by-subscription", "by-region", "drift"])
      expect(auditPage).toContain(`data-chart="${chart}"`);
    expect(auditPage).toMatch(/data-drift="newly-blocked"[^>]*><summary>Newly blocked \(1\)/);
    expect(count(auditPage, /<tr data-verdict=/g)).toBe(2);
  });

  it("an audit: the counts by check and by subscription as text too, outside the charts' SVG", () => {
    const bySubscription = { "sub-a": { vms: 2, ready: 1, degraded: 0, blocked: 1, unknown: 0 } };
    const page = formatHtml({ ...meta, results: [READY, BLOCKED], summary: { ...summaryOf([READY, BLOCKED]), bySubscription } }, opts);
    const text = page.replace(/<svg[\s\S]*?<\/svg>/g, "");
    const table = (name: string) => new RegExp(`<table class="counts" data-table="${name}">[\\s\\S]*?</table>`).exec(text)?.[0] ?? "";
    expect(table("by-check")).toContain('<tr><th scope="row">storage-firewall</th><td>1</td><td>0</td><td>0</td></tr>');
    expect(table("by-subscription")).toContain('<tr><th scope="row">sub-a</th><td>2</td><td>1</td><td>0</td><td>0</td><td>1</td></tr>');
  });

  it("Azure's text is escaped everywhere it appears", () => {
    const page = formatHtml({ ...meta, results: [HOSTILE], summary: summaryOf([HOSTILE]) }, opts);
    // The fixture's reason holds `<b>tag</b>`, an ANSI colour and a bidi override.
    expect(page).not.toContain("<b>tag</b>");
    expect(page).toContain("&lt;b&gt;tag&lt;/b&gt;");
    expect(page).not.toMatch(/[\u001b\u202e]/);
    expect(htmlText(`<a href="x" onclick='y'>&`)).toBe("&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;");
  });

  it("bars are proportional and labelled; long labels keep both ends", () => {
    const svg = barChart(
      "t",
      "T",
      ["fail"],
      [
        { label: "a", segments: [{ key: "fail", value: 2 }] },
        { label: "00000000-0000-0000-0000-000000000001", segments: [{ key: "fail", value: 1 }] },
      ],
    );
    const widths = [...svg.matchAll(/width="([\d.]+)" height/g)].map((m) => Number(m[1]));
    expect(widths[0]).toBeCloseTo((widths[1] ?? 0) * 2, 0);
    expect(svg).toContain("00000000-0000-…0-000000000001");
  });
});
