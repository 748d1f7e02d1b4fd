/**
 * The HTML report's page: one self-contained document with its CSS and (for audits) a small script inline. A
 * Content-Security-Policy forbids every fetch (`default-src 'none'`) and lets run only the script whose SHA-256
 * is listed, so even a string that escaped our escaping could neither load anything nor execute.
 */
import { createHash } from "node:crypto";
import { htmlText } from "./escape.js";

const CSS = `
:root{--fail:#c62828;--warn:#b26a00;--error:#7b1fa2;--pass:#2e7d32;--skip:#757575;--fg:#1b1b1b;--muted:#5f6368;--line:#dadce0;--bg:#fff;--panel:#f6f8fa}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:var(--bg)}
header,main{max-width:1200px;margin:0 auto;padding:16px 24px}
header{border-bottom:1px solid var(--line)}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 10px}h3{font-size:15px;margin:0 0 6px}
.meta{color:var(--muted);margin:0}
code,pre{font:12.5px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:8px 10px;overflow-x:auto;white-space:pre-wrap;word-break:break-all}
table{border-collapse:collapse;width:100%}table.counts{width:auto;min-width:320px;margin:12px 0}table.counts caption{text-align:left;font-weight:600;padding:4px 0}table.counts td{text-align:right}th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{background:var(--panel);font-weight:600}th button{font:inherit;font-weight:600;background:none;border:0;padding:0;cursor:pointer;color:inherit}
th[aria-sort=ascending] button::after{content:" ▲"}th[aria-sort=descending] button::after{content:" ▼"}
td{white-space:nowrap}td.wrap{white-space:normal;overflow-wrap:anywhere}td.wrap code{white-space:nowrap}.scroll{overflow-x:auto}
.pill{display:inline-block;min-width:64px;text-align:center;border-radius:10px;padding:1px 8px;font-size:12px;font-weight:600;color:#fff}
.st-pass,.v-ready{background:var(--pass)}.st-fail,.v-blocked{background:var(--fail)}.st-warn,.v-degraded{background:var(--warn)}
.st-error,.v-unknown{background:var(--error)}.st-skip{background:var(--skip)}
.verdict{display:flex;gap:16px;align-items:center;padding:14px 16px;border-radius:8px;border:1px solid var(--line);background:var(--panel)}
.verdict .pill{font-size:16px;padding:4px 14px}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:12px 0}dl.facts dt{color:var(--muted)}dl.facts dd{margin:0;word-break:break-all}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin-bottom:16px}.card{border:1px solid var(--line);border-radius:8px;padding:10px 16px;min-width:120px}
.card .n{font-size:26px;font-weight:700}.card.blocked .n{color:var(--fail)}.card.degraded .n{color:var(--warn)}.card.unknown .n{color:var(--error)}.card.ready .n{color:var(--pass)}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(520px,1fr));gap:16px}
figure.chart{margin:0;border:1px solid var(--line);border-radius:8px;padding:10px;max-width:760px}figure.chart figcaption{font-weight:600;margin-bottom:6px}
svg text{font:12px system-ui,sans-serif;fill:var(--fg)}
.seg-fail,.seg-blocked,.seg-newly-blocked{fill:var(--fail);background:var(--fail)}.seg-warn,.seg-degraded{fill:var(--warn);background:var(--warn)}
.seg-error,.seg-unknown{fill:var(--error);background:var(--error)}.seg-ready,.seg-fixed,.seg-pass{fill:var(--pass);background:var(--pass)}.seg-skip{fill:var(--skip);background:var(--skip)}.seg-still-blocked{fill:#ef9a9a;background:#ef9a9a}
.legend{display:flex;gap:14px;flex-wrap:wrap;color:var(--muted);font-size:12px}.swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:4px}
.finding{border:1px solid var(--line);border-left:4px solid var(--skip);border-radius:6px;padding:10px 14px;margin:12px 0}
.finding.st-border-fail{border-left-color:var(--fail)}.finding.st-border-warn{border-left-color:var(--warn)}.finding.st-border-error{border-left-color:var(--error)}
blockquote{margin:6px 0;padding:4px 12px;border-left:3px solid var(--line);color:#333}
.label{font-weight:600}.fix-note{color:var(--muted);font-size:12.5px;margin:8px 0 2px}
.controls{display:flex;gap:12px;align-items:center;margin:8px 0}.controls input{flex:1;max-width:420px;padding:6px 8px;font:inherit}
.controls select{padding:5px;font:inherit}
details.vm{border:1px solid var(--line);border-radius:6px;margin:8px 0;padding:6px 12px}details.vm summary{cursor:pointer;font-weight:600}
ul.ids{margin:4px 0;padding-left:20px;word-break:break-all}
tr.paged{display:none}
@media print{.controls,#vm-more{display:none}tr.paged{display:table-row}}
@media print{details.vm::details-content,details.drift::details-content{content-visibility:visible}}
`;

/** VM table rows shown at once (then "Show more"): a browser lays out every shown row again after a sort. */
export const TABLE_PAGE_ROWS = 500;

/**
 * Sort and filter the VM table (audit only). Rows carry `data-verdict` and `data-search`; a cell's `data-sort`
 * overrides its text as the sort key (verdict severity, numbers). Of the rows that match, the first
 * TABLE_PAGE_ROWS are shown, more on demand: a browser lays out only those after a sort (bench/html-sort.mjs).
 * Written for the page as plain ES2017.
 */
export const TABLE_SCRIPT = `(() => {
  const table = document.getElementById("vm-table");
  if (!table) return;
  const body = table.tBodies[0];
  const rows = Array.from(body.rows);
  const filter = document.getElementById("vm-filter");
  const verdict = document.getElementById("vm-verdict");
  const shown = document.getElementById("vm-shown");
  const more = document.getElementById("vm-more");
  const page = ${TABLE_PAGE_ROWS};
  let limit = page;
  let matching = rows.length;
  const apply = () => {
    const words = filter.value.trim().toLowerCase().split(/\\s+/).filter(Boolean);
    let n = 0;
    for (const row of rows) {
      const match = (verdict.value === "" || row.dataset.verdict === verdict.value) && words.every((w) => row.dataset.search.includes(w));
      // Filtered out: hidden. Past the page: only on screen (printed, every row that matches is there).
      row.hidden = !match;
      row.classList.toggle("paged", match && n >= limit);
      if (match) n++;
    }
    matching = n;
    shown.textContent = String(Math.min(n, limit));
    more.hidden = n <= limit;
    more.textContent = "Show " + Math.min(page, n - limit) + " more of the " + (n - limit) + " not shown";
  };
  const refilter = () => {
    limit = page;
    apply();
  };
  filter.addEventListener("input", refilter);
  verdict.addEventListener("change", refilter);
  more.addEventListener("click", () => {
    limit += page;
    apply();
  });
  // A VM's name links to its details: open them, or the link lands on a closed summary line.
  body.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest('a[href^="#vm-"]');
    const details = link && document.getElementById(link.getAttribute("href").slice(1));
    if (details) details.open = true;
  });
  const headers = Array.from(table.tHead.rows[0].cells);
  headers.forEach((th, column) => {
    const button = th.querySelector("button");
    if (!button) return;
    button.addEventListener("click", () => {
      const ascending = th.getAttribute("aria-sort") !== "ascending";
      headers.forEach((h) => h.removeAttribute("aria-sort"));
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      // Keys read once and one collator: localeCompare with options builds a collator per comparison.
      const keys = new Map(rows.map((row) => { const cell = row.cells[column]; return [row, cell.dataset.sort !== undefined ? cell.dataset.sort : cell.textContent]; }));
      const numeric = rows.every((row) => /^-?\\d+(\\.\\d+)?$/.test(keys.get(row)));
      const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
      rows.sort((a, b) => {
        const order = numeric ? Number(keys.get(a)) - Number(keys.get(b)) : collator.compare(keys.get(a), keys.get(b));
        return ascending ? order : -order;
      });
      // All at once, into a body of rows only (no text between them: moving rows among 12,000 whitespace nodes
      // held Chromium for seconds), then only the first rows of the new order shown. In slices: one call with
      // 150,000 arguments overflows the stack.
      body.replaceChildren();
      for (let i = 0; i < rows.length; i += 10000) body.append(...rows.slice(i, i + 10000));
      apply();
    });
  });
  // Printed, every matching row is there (the print style shows them) with its VM's findings: the heading counts
  // them all, and the details are open (where ::details-content in the print style does not reach).
  let closed = [];
  window.addEventListener("beforeprint", () => {
    shown.textContent = String(matching);
    closed = Array.from(document.querySelectorAll("details.vm:not([open]), details.drift:not([open])"));
    closed.forEach((details) => { details.open = true; });
  });
  window.addEventListener("afterprint", () => {
    closed.forEach((details) => { details.open = false; });
    closed = [];
    apply();
  });
  apply();
})();`;

/** CSP source for an inline script: its SHA-256, base64 (CSP Level 3 §8.4). */
function scriptHash(script: string): string {
  return `'sha256-${createHash("sha256").update(script, "utf8").digest("base64")}'`;
}

/** The whole document. `body` is already-escaped HTML; `script`, when given, is trusted code of ours. */
export function htmlPage(title: string, body: string, script?: string): string {
  const csp = `default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src ${script !== undefined ? scriptHash(script) : "'none'"}; base-uri 'none'; form-action 'none'`;
  return [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${htmlText(title)}</title>`,
    `<style>${CSS}</style>`,
    // Where scripts are blocked, the rows past the first page (written hidden for the table script) are shown.
    script !== undefined ? "<noscript><style>tr.paged{display:table-row}</style></noscript>" : "",
    "</head>",
    "<body>",
    body,
    script !== undefined ? `<script>${script}</script>` : "",
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
