// Inline SVG charts for the HTML report: no scripts, no external resources, every text escaped.

/** Escapes text for HTML and SVG content and for double-quoted attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;'));
}

// Colour-blind-safe palette (Okabe–Ito), in the order groups are charted.
export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'];

export interface LineSeries {
  label: string;
  values: (number | null)[];
  /** Per point, for the tooltip. */
  notes?: string[];
}

export interface LineChartOptions {
  title: string;
  xLabels: string[];
  yMin: number;
  yMax: number;
  /** Gridlines and their labels. */
  yTicks: { value: number; label: string }[];
  width?: number;
  height?: number;
  /** Draw a stronger line at this value (zero of the tone balance). */
  baseline?: number;
  emptyText: string;
}

const r1 = (x: number) => Math.round(x * 10) / 10;

/** Lines per series over the weeks; gaps where a value is missing. */
export function lineChart(series: readonly LineSeries[], o: LineChartOptions): string {
  const width = o.width ?? 640;
  const height = o.height ?? 240;
  const pad = { left: 48, right: 12, top: 28, bottom: 28 };
  const legendRows = Math.ceil(series.length / 3);
  const plotH = height - pad.top - pad.bottom;
  const plotW = width - pad.left - pad.right;
  const total = height + legendRows * 18 + 6;
  const n = o.xLabels.length;
  const x = (i: number) => pad.left + (n <= 1 ? plotW / 2 : (i * plotW) / (n - 1));
  const y = (v: number) => pad.top + plotH - ((Math.min(o.yMax, Math.max(o.yMin, v)) - o.yMin) / (o.yMax - o.yMin || 1)) * plotH;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${total}" width="100%" role="img" aria-label="${escapeHtml(o.title)}">`);
  parts.push(`<title>${escapeHtml(o.title)}</title>`);
  parts.push(`<text x="${pad.left}" y="16" class="chart-title">${escapeHtml(o.title)}</text>`);
  for (const t of o.yTicks) {
    const yy = r1(y(t.value));
    const strong = o.baseline !== undefined && t.value === o.baseline;
    parts.push(`<line x1="${pad.left}" x2="${width - pad.right}" y1="${yy}" y2="${yy}" class="${strong ? 'axis' : 'grid'}"/>`);
    parts.push(`<text x="${pad.left - 6}" y="${r1(yy + 4)}" text-anchor="end" class="tick">${escapeHtml(t.label)}</text>`);
  }
  o.xLabels.forEach((l, i) => {
    if (n > 8 && i % 2 === 1 && i !== n - 1) return;
    parts.push(`<text x="${r1(x(i))}" y="${height - 8}" text-anchor="middle" class="tick">${escapeHtml(l)}</text>`);
  });
  if (series.length === 0) {
    parts.push(`<text x="${r1(pad.left + plotW / 2)}" y="${r1(pad.top + plotH / 2)}" text-anchor="middle" class="empty">${escapeHtml(o.emptyText)}</text>`);
  }
  series.forEach((s, si) => {
    const colour = PALETTE[si % PALETTE.length]!;
    let d = '';
    let pen = false;
    s.values.forEach((v, i) => {
      if (v === null) {
        pen = false;
        return;
      }
      d += `${pen ? 'L' : 'M'}${r1(x(i))},${r1(y(v))}`;
      pen = true;
    });
    if (d) parts.push(`<path d="${d}" fill="none" stroke="${colour}" stroke-width="2"/>`);
    s.values.forEach((v, i) => {
      if (v === null) return;
      const note = s.notes?.[i];
      parts.push(
        `<circle cx="${r1(x(i))}" cy="${r1(y(v))}" r="3" fill="${colour}"><title>${escapeHtml(`${s.label} ${o.xLabels[i] ?? ''}${note ? `: ${note}` : ''}`)}</title></circle>`,
      );
    });
    const lx = pad.left + (si % 3) * Math.floor(plotW / 3);
    const ly = height + 4 + Math.floor(si / 3) * 18;
    parts.push(`<rect x="${lx}" y="${ly}" width="12" height="12" fill="${colour}"/>`);
    parts.push(`<text x="${lx + 16}" y="${ly + 10}" class="legend">${escapeHtml(s.label)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

export interface Bar {
  label: string;
  value: number;
}

/** Horizontal bars with their counts. */
export function barChart(bars: readonly Bar[], o: { title: string; width?: number; emptyText: string }): string {
  const width = o.width ?? 640;
  const labelW = 220;
  const rowH = 22;
  const top = 28;
  const height = top + Math.max(1, bars.length) * rowH + 8;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const plotW = width - labelW - 50;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${escapeHtml(o.title)}">`);
  parts.push(`<title>${escapeHtml(o.title)}</title>`);
  parts.push(`<text x="0" y="16" class="chart-title">${escapeHtml(o.title)}</text>`);
  if (bars.length === 0) parts.push(`<text x="${labelW}" y="${top + 15}" class="empty">${escapeHtml(o.emptyText)}</text>`);
  bars.forEach((b, i) => {
    const yy = top + i * rowH;
    const w = r1((b.value / max) * plotW);
    parts.push(`<text x="${labelW - 8}" y="${yy + 15}" text-anchor="end" class="tick">${escapeHtml(b.label)}</text>`);
    parts.push(`<rect x="${labelW}" y="${yy + 3}" width="${w}" height="${rowH - 8}" fill="${PALETTE[0]}"/>`);
    parts.push(`<text x="${r1(labelW + w + 6)}" y="${yy + 15}" class="tick">${b.value}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}
