/** A horizontal bar chart of ratios on a log scale, with the 1x line marked. Plain SVG, no deps. */
export interface RatioBar {
  label: string;
  ratio: number;
  detail: string;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function ratioChartSvg(title: string, bars: readonly RatioBar[]): string {
  const labelWidth = 380;
  const plotWidth = 360;
  const detailWidth = 260;
  const rowHeight = 24;
  const top = 40;
  const width = labelWidth + plotWidth + detailWidth;
  const height = top + bars.length * rowHeight + 30;
  const maxRatio = Math.max(2, ...bars.map((b) => b.ratio));
  const minRatio = Math.min(0.5, ...bars.map((b) => b.ratio));
  const lo = Math.log10(minRatio);
  const hi = Math.log10(maxRatio);
  const x = (r: number) => labelWidth + ((Math.log10(r) - lo) / (hi - lo)) * plotWidth;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="10" y="22" font-size="15" font-weight="bold">${esc(title)}</text>`,
  ];
  bars.forEach((b, i) => {
    const y = top + i * rowHeight;
    const x1 = x(1);
    const xr = x(Math.max(b.ratio, minRatio));
    const color = b.ratio >= 1 ? '#2a9d55' : '#d1495b';
    parts.push(
      `<text x="${labelWidth - 8}" y="${y + 15}" text-anchor="end">${esc(b.label)}</text>`,
      `<rect x="${Math.min(x1, xr).toFixed(1)}" y="${y + 3}" width="${Math.abs(xr - x1).toFixed(1)}" height="${rowHeight - 8}" fill="${color}"/>`,
      `<text x="${labelWidth + plotWidth + 8}" y="${y + 15}">${b.ratio.toFixed(2)}x  (${esc(b.detail)})</text>`,
    );
  });
  const x1 = x(1).toFixed(1);
  parts.push(
    `<line x1="${x1}" y1="${top - 4}" x2="${x1}" y2="${top + bars.length * rowHeight}" stroke="#333" stroke-dasharray="3,3"/>`,
    `<text x="${x1}" y="${top + bars.length * rowHeight + 16}" text-anchor="middle">1x (werift)</text>`,
    '</svg>',
  );
  return `${parts.join('\n')}\n`;
}
