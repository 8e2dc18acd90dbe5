import type { ScenarioResult } from './lib';

const COLOURS: Record<string, string> = { baseline: '#9e9e9e', accepted: '#1e88e5', routed: '#43a047', p50: '#1e88e5', p95: '#fb8c00', p99: '#e53935' };
const FALLBACK = '#5e35b1';

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A hand-written horizontal bar chart: one bar per figure, coloured by group, value at the bar's end. */
export function barChart(chart: ScenarioResult['chart']): string {
  const labelWidth = 230;
  const plotWidth = 420;
  const barHeight = 22;
  const gap = 8;
  const top = 40;
  const width = labelWidth + plotWidth + 110;
  const height = top + chart.bars.length * (barHeight + gap) + 20;
  const max = Math.max(1, ...chart.bars.map((bar) => Math.abs(bar.value)).filter(Number.isFinite));
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="10" y="24" font-size="15" font-weight="bold">${escape(chart.title)}</text>`,
    `<line x1="${labelWidth}" y1="${top - 6}" x2="${labelWidth}" y2="${height - 16}" stroke="#333"/>`,
  ];
  chart.bars.forEach((bar, index) => {
    const y = top + index * (barHeight + gap);
    const value = Number.isFinite(bar.value) ? bar.value : 0;
    const length = Math.max(1, (Math.abs(value) / max) * plotWidth);
    const colour = COLOURS[bar.group ?? ''] ?? FALLBACK;
    parts.push(
      `<text x="${labelWidth - 8}" y="${y + barHeight / 2 + 4}" text-anchor="end">${escape(bar.label)}</text>`,
      `<rect x="${labelWidth}" y="${y}" width="${length.toFixed(1)}" height="${barHeight}" fill="${colour}"/>`,
      `<text x="${(labelWidth + length + 6).toFixed(1)}" y="${y + barHeight / 2 + 4}">${escape(`${bar.value.toLocaleString('en-US')} ${chart.unit}`)}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
