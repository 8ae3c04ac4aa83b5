// A tiny canvas line chart: the last 60 samples of a few series, auto-scaled.
const COLORS = ['#1f77b4', '#e4572e', '#2a9d55', '#8e44ad'];

export class LineChart {
  constructor(canvas, names, capacity = 60) {
    this.canvas = canvas;
    this.names = names;
    this.capacity = capacity;
    this.series = names.map(() => []);
    this.draw();
  }

  push(values) {
    values.forEach((v, i) => {
      const s = this.series[i];
      s.push(Number.isFinite(v) ? v : null);
      if (s.length > this.capacity) s.shift();
    });
    this.draw();
  }

  draw() {
    const { canvas } = this;
    const ctx = canvas.getContext('2d');
    const w = canvas.width;
    const h = canvas.height;
    const pad = { left: 40, right: 8, top: 18, bottom: 14 };
    ctx.clearRect(0, 0, w, h);
    const all = this.series.flat().filter((v) => v !== null);
    const max = Math.max(1, ...all) * 1.15;
    ctx.font = '10px sans-serif';
    ctx.strokeStyle = '#e3e8ed';
    ctx.fillStyle = '#66737f';
    for (let i = 0; i <= 4; i++) {
      const y = pad.top + ((h - pad.top - pad.bottom) * i) / 4;
      ctx.beginPath();
      ctx.moveTo(pad.left, y);
      ctx.lineTo(w - pad.right, y);
      ctx.stroke();
      ctx.fillText(formatTick((max * (4 - i)) / 4), 2, y + 3);
    }
    const x = (i) => pad.left + ((w - pad.left - pad.right) * i) / (this.capacity - 1);
    const y = (v) => h - pad.bottom - ((h - pad.top - pad.bottom) * v) / max;
    this.series.forEach((s, k) => {
      ctx.strokeStyle = COLORS[k % COLORS.length];
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      let drawing = false;
      s.forEach((v, i) => {
        if (v === null) {
          drawing = false;
          return;
        }
        const px = x(i + this.capacity - s.length);
        if (drawing) ctx.lineTo(px, y(v));
        else ctx.moveTo(px, y(v));
        drawing = true;
      });
      ctx.stroke();
      ctx.fillStyle = COLORS[k % COLORS.length];
      ctx.fillText(`${this.names[k]}${lastValue(s)}`, pad.left + 4 + k * 150, 11);
    });
  }
}

function lastValue(s) {
  const v = s.at(-1);
  return v === null || v === undefined ? '' : `: ${formatTick(v)}`;
}

function formatTick(v) {
  return v >= 100 ? Math.round(v).toString() : v.toFixed(1);
}
