import type { SeriesPoint } from '../types';

interface Props {
  series: SeriesPoint[];
  kind?: 'bar' | 'line';
  label: string;
}

const W = 640;
const H = 200;
const PAD = { left: 40, right: 8, top: 10, bottom: 24 };

const hhmm = (iso: string): string => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? iso
    : `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
};

/** A round axis maximum (1, 2, 5 x 10^n) so the grid labels read well. */
function niceMax(value: number): number {
  if (value <= 0) return 1;
  const step = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].map((m) => m * step).find((m) => m >= value) ?? value;
}

/**
 * Succeeded and failed attempts per time bucket, as stacked bars or two lines.
 * Hand-written SVG: it scales with its box and each bucket has a hover title.
 */
export function Chart({ series, kind = 'bar', label }: Props) {
  const max = niceMax(
    Math.max(0, ...series.map((p) => (kind === 'bar' ? p.succeeded + p.failed : Math.max(p.succeeded, p.failed)))),
  );
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const n = Math.max(series.length, 1);
  const slot = plotW / n;
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;
  const x = (i: number) => PAD.left + slot * i + slot / 2;
  const ticks = [0, max / 2, max];
  const labelEvery = Math.max(1, Math.ceil(n / 6));
  const line = (key: 'succeeded' | 'failed') =>
    series.map((p, i) => `${x(i).toFixed(1)},${y(p[key]).toFixed(1)}`).join(' ');
  const totals = series.reduce((a, p) => ({ s: a.s + p.succeeded, f: a.f + p.failed }), { s: 0, f: 0 });

  return (
    <figure class="chart" data-testid="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${label}: ${totals.s} succeeded, ${totals.f} failed`}>
        <title>{label}</title>
        {ticks.map((t) => (
          <g key={t} class="grid">
            <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} />
            <text x={PAD.left - 6} y={y(t) + 4} text-anchor="end">
              {Number.isInteger(t) ? t : t.toFixed(1)}
            </text>
          </g>
        ))}
        {kind === 'bar' &&
          series.map((p, i) => {
            const bw = Math.max(1, slot * 0.7);
            const x0 = x(i) - bw / 2;
            return (
              <g key={p.t} class="bucket">
                <title>{`${hhmm(p.t)}: ${p.succeeded} succeeded, ${p.failed} failed`}</title>
                <rect class="ok" x={x0} width={bw} y={y(p.succeeded)} height={plotH + PAD.top - y(p.succeeded)} />
                <rect
                  class="bad"
                  x={x0}
                  width={bw}
                  y={y(p.succeeded + p.failed)}
                  height={y(p.succeeded) - y(p.succeeded + p.failed)}
                />
              </g>
            );
          })}
        {kind === 'line' && series.length > 0 && (
          <g>
            <polyline class="ok-line" points={line('succeeded')} />
            <polyline class="bad-line" points={line('failed')} />
          </g>
        )}
        {series.map((p, i) =>
          i % labelEvery === 0 ? (
            <text key={p.t} class="axis" x={x(i)} y={H - 6} text-anchor="middle">
              {hhmm(p.t)}
            </text>
          ) : null,
        )}
      </svg>
      <figcaption class="legend" data-testid="chart-legend">
        <span class="swatch ok" /> Succeeded {totals.s} <span class="swatch bad" /> Failed {totals.f}{' '}
        <span class="muted">(attempts)</span>
      </figcaption>
    </figure>
  );
}
