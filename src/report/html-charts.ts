/**
 * Charts for the HTML report as inline SVG: horizontal stacked bars, one row per label, no script and no external
 * asset. Colours come from the page's CSS classes (`seg-<key>`), so a chart and its legend always agree.
 */
import { htmlText } from "./escape.js";

export interface BarSegment {
  /** Series key, also the CSS class suffix: a status or a verdict (`fail`, `blocked`, …). */
  key: string;
  value: number;
}

export interface BarRow {
  label: string;
  segments: readonly BarSegment[];
}

const LABEL_WIDTH = 230;
const BAR_WIDTH = 380;
const ROW_HEIGHT = 24;
const MAX_LABEL = 30;

/** Long labels lose their middle: subscription ids and resource names differ mostly at the ends. */
function shorten(label: string): string {
  if (label.length <= MAX_LABEL) return label;
  const half = Math.floor((MAX_LABEL - 1) / 2);
  return `${label.slice(0, half)}…${label.slice(label.length - half)}`;
}

/**
 * One `<figure>` holding a titled SVG bar chart and its legend. `id` names the chart for the page (`data-chart`);
 * `keys` fixes the legend's order. Rows whose segments are all zero still get their label (a 0 is information).
 */
export function barChart(id: string, title: string, keys: readonly string[], rows: readonly BarRow[]): string {
  const total = (row: BarRow) => row.segments.reduce((sum, s) => sum + s.value, 0);
  const max = Math.max(1, ...rows.map(total));
  const height = Math.max(1, rows.length) * ROW_HEIGHT + 4;
  const width = LABEL_WIDTH + BAR_WIDTH + 60;
  const bars = rows.map((row, i) => {
    const y = i * ROW_HEIGHT + 2;
    let x = LABEL_WIDTH;
    const rects = row.segments
      .filter((s) => s.value > 0)
      .map((s) => {
        const w = Math.max(2, (s.value / max) * BAR_WIDTH);
        const rect = `<rect class="seg seg-${htmlText(s.key)}" data-key="${htmlText(s.key)}" data-value="${s.value}" x="${x.toFixed(1)}" y="${y + 3}" width="${w.toFixed(1)}" height="${ROW_HEIGHT - 8}"><title>${htmlText(`${row.label}: ${s.value} ${s.key}`)}</title></rect>`;
        x += w;
        return rect;
      });
    return [
      `<g class="bar-row" data-label="${htmlText(row.label)}">`,
      `<text class="bar-label" x="${LABEL_WIDTH - 8}" y="${y + ROW_HEIGHT / 2 + 4}" text-anchor="end"><title>${htmlText(row.label)}</title>${htmlText(shorten(row.label))}</text>`,
      ...rects,
      `<text class="bar-total" x="${(x + 6).toFixed(1)}" y="${y + ROW_HEIGHT / 2 + 4}">${total(row)}</text>`,
      "</g>",
    ].join("");
  });
  const legend = keys.map((key) => `<span class="legend-item"><span class="swatch seg-${htmlText(key)}"></span>${htmlText(key)}</span>`);
  return [
    `<figure class="chart" data-chart="${htmlText(id)}">`,
    `<figcaption>${htmlText(title)}</figcaption>`,
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${htmlText(title)}" viewBox="0 0 ${width} ${height}" width="100%" preserveAspectRatio="xMinYMin meet">`,
    ...bars,
    "</svg>",
    `<div class="legend">${legend.join("")}</div>`,
    "</figure>",
  ].join("\n");
}
