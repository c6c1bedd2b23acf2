// The performance table: each row's Hookway figure, its reference (the peer, Hookway's own
import { median } from './lib.mjs';

// baseline or a bare route, all from the same run), the ratio, the target and whether it is met.

const fmt = (n, unit = '') => {
  if (n === Infinity) return 'never (undelivered)';
  if (!Number.isFinite(n)) return 'n/a';
  return `${n.toLocaleString('en-US', { maximumFractionDigits: n < 100 ? 2 : 0 })}${unit}`;
};
const ratioOf = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? a / b : NaN);
const verdict = (ok) => (ok === null ? 'n/a' : ok ? 'met' : 'NOT met');
/** A verdict only when every figure it depends on was measured (an infinite latency was: it never arrived). */
const judge = (figures, test) => (figures.every((x) => typeof x === 'number' && !Number.isNaN(x)) ? test() : null);

/** A ratio where an infinite figure (never delivered) stays infinite instead of becoming n/a. */
const ratioOrInf = (a, b) => (a === Infinity && Number.isFinite(b) ? Infinity : ratioOf(a, b));

/**
 * Each row: which `--rows` number runs it, its Hookway figure and reference (from the medians `md`
 * and the backlog run `b`), and `met({h: hookway, f: reference, r: ratio, b: backlog})`; `needs` lists the figures that
 * must have been measured for a verdict (the ratio by default).
 */
const SPECS = [
  {
    on: 1,
    row: '1',
    figure: 'SQLite, 1 endpoint, 64 clients: delivered msg/s',
    unit: ' msg/s',
    hw: ({ md }) => md.sqliteTp,
    refName: 'peer',
    ref: ({ md }) => md.peerTp,
    target: '>= 2x peer',
    met: ({ r }) => r >= 2,
  },
  {
    on: 2,
    row: '2',
    figure: 'SQLite, steady 1,000 msg/s: p99 create-to-delivered',
    unit: ' ms',
    hw: ({ md }) => md.sqliteP99,
    refName: 'peer',
    ref: ({ md }) => md.peerP99,
    needs: 'both',
    target: '<= 5 ms and <= peer',
    met: ({ h, f }) => h <= 5 && h <= f,
  },
  {
    on: 2,
    row: '2 raw',
    figure: 'generator -> receiver at the same rate: p99 (the floor)',
    unit: ' ms',
    hw: ({ md }) => md.rawP99,
    refName: 'peer',
    ref: ({ md }) => md.peerP99,
    target: '(reported)',
    met: () => null,
  },
  {
    on: 3,
    row: '3a',
    figure: 'PostgreSQL, 1 node: delivered msg/s',
    unit: ' msg/s',
    pg: true,
    hw: ({ md }) => md.pgTp,
    refName: 'peer',
    ref: ({ md }) => md.peerTp,
    target: '>= 1x peer',
    met: ({ r }) => r >= 1,
  },
  {
    on: 3,
    row: '3b',
    figure: 'PostgreSQL, steady 1,000 msg/s: p99',
    unit: ' ms',
    pg: true,
    hw: ({ md }) => md.pgP99,
    refName: 'peer',
    ref: ({ md }) => md.peerP99,
    needs: 'hookway',
    target: '<= 10 ms',
    met: ({ h }) => h <= 10,
  },
  {
    on: 4,
    row: '4',
    figure: 'fan-out 1 -> 10 endpoints: deliveries/s',
    unit: ' /s',
    hw: ({ md }) => md.hwFan,
    refName: 'peer',
    ref: ({ md }) => md.peerFan,
    target: '>= 2x peer',
    met: ({ r }) => r >= 2,
  },
  {
    on: 5,
    row: '5',
    figure: 'half the traffic to a dead endpoint: healthy p99',
    unit: ' ms',
    hw: ({ md }) => md.hwIsoDead,
    refName: 'own baseline',
    ref: ({ md }) => md.hwIso,
    needs: 'both',
    target: '<= 1.5x own baseline',
    met: ({ h, f }) => Number.isFinite(f) && h <= 1.5 * f,
  },
  {
    on: 5,
    row: '5 peer',
    figure: 'the peer, same test: healthy p99',
    unit: ' ms',
    hw: ({ md }) => md.peerIsoDead,
    refName: 'peer baseline',
    ref: ({ md }) => md.peerIso,
    target: '(reported)',
    met: () => null,
  },
  {
    on: 6,
    row: '6a',
    figure: 'backlog: server RSS peak',
    unit: ' MB',
    backlog: true,
    hw: ({ b }) => b.rssPeakMb,
    refName: 'limit',
    ref: () => 150,
    target: '<= 150 MB',
    met: ({ h }) => h <= 150,
  },
  {
    on: 6,
    row: '6b',
    figure: 'backlog: drain rate',
    unit: ' msg/s',
    backlog: true,
    hw: ({ b }) => b.drainPerSecond,
    refName: 'row 1 Hookway',
    ref: ({ md }) => md.sqliteTp,
    target: '>= 0.8x row 1',
    met: ({ r, b }) => !b.timedOut && r >= 0.8,
  },
  {
    on: 7,
    row: '7a',
    figure: '/in verify + dedupe + store: events/s',
    unit: ' /s',
    hw: ({ md }) => md.store,
    refName: 'bare Fastify',
    ref: ({ md }) => md.bare,
    target: '>= 0.5x bare',
    met: ({ r }) => r >= 0.5,
  },
  {
    on: 7,
    row: '7b',
    figure: '/in ... + forwarding: events/s',
    unit: ' /s',
    hw: ({ md }) => md.forward,
    refName: 'bare Fastify',
    ref: ({ md }) => md.bare,
    target: '>= 0.3x bare',
    met: ({ r }) => r >= 0.3,
  },
];

/** The median of each figure over its rounds (NaN where the row did not run). */
export function mediansOf(runs) {
  const m = (list, key) => (list.length ? median(list.map((r) => r[key])) : NaN);
  return {
    raw: m(runs.raw, 'perSecond'),
    sqliteTp: m(runs.sqliteTp, 'deliveredPerSecond'),
    pgTp: m(runs.pgTp, 'deliveredPerSecond'),
    peerTp: m(runs.peerTp, 'deliveredPerSecond'),
    rawP99: m(runs.rawLat ?? [], 'p99'),
    sqliteP99: m(runs.sqliteLat, 'p99'),
    pgP99: m(runs.pgLat, 'p99'),
    peerP99: m(runs.peerLat, 'p99'),
    hwFan: m(runs.hwFan, 'deliveredPerSecond'),
    peerFan: m(runs.peerFan, 'deliveredPerSecond'),
    hwIso: m(runs.hwIso, 'p99'),
    hwIsoDead: m(runs.hwIsoDead, 'p99'),
    peerIso: m(runs.peerIso, 'p99'),
    peerIsoDead: m(runs.peerIsoDead, 'p99'),
    bare: m(runs.bare, 'perSecond'),
    store: m(runs.store, 'perSecond'),
    forward: m(runs.forward, 'perSecond'),
  };
}

export function tableRows(md, backlog, rows) {
  return SPECS.filter((s) => rows.has(s.on) && (!s.backlog || backlog) && (!s.pg || !Number.isNaN(md.pgTp ?? NaN))).map(
    (s) => {
      const hookway = s.hw({ md, b: backlog });
      const ref = s.ref({ md, b: backlog });
      const ratio = ratioOrInf(hookway, ref);
      const needs = s.needs === 'both' ? [hookway, ref] : s.needs === 'hookway' ? [hookway] : [ratio];
      const met = judge(needs, () => s.met({ h: hookway, f: ref, r: ratio, b: backlog }));
      const figure = s.backlog
        ? s.figure.replace('backlog', `backlog of ${backlog.total.toLocaleString('en-US')}`)
        : s.figure;
      return { row: s.row, figure, hookway, unit: s.unit, refName: s.refName, ref, ratio, target: s.target, met };
    },
  );
}

export function printTable(table, md, log) {
  log('\nResults (medians of the rounds above)');
  if (Number.isFinite(md.raw)) {
    const of = [
      ['Hookway SQLite', md.sqliteTp],
      ['Hookway PostgreSQL', md.pgTp],
      ['the peer', md.peerTp],
    ].filter(([, v]) => Number.isFinite(v));
    const parts = of.map(([name, v]) => `${name} ${fmt(v, ' msg/s')} (${ratioOf(v, md.raw).toFixed(2)}x)`);
    log(`raw baseline, generator -> receiver: ${fmt(md.raw, ' req/s')}; delivered: ${parts.join(', ')}`);
  }
  const cells = table.map((t) => [
    t.row,
    t.figure,
    fmt(t.hookway, t.unit),
    `${t.refName} ${fmt(t.ref, t.unit)}`,
    t.ratio === Infinity ? 'inf' : Number.isFinite(t.ratio) ? `${t.ratio.toFixed(2)}x` : 'n/a',
    t.target,
    verdict(t.met),
  ]);
  const head = ['row', 'figure', 'Hookway', 'reference', 'ratio', 'target', 'verdict'];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c) => c.map((x, i) => x.padEnd(widths[i])).join(' | ');
  log(line(head));
  log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const c of cells) log(line(c));
}
