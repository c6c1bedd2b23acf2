// The performance table: each row's Hookway figure, its reference (the peer, Hookway's own
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

export function tableRows(md, backlog, rows) {
  const out = [];
  const add = (row, figure, hookway, unit, refName, ref, ratio, target, met) =>
    out.push({ row, figure, hookway, unit, refName, ref, ratio, target, met });
  if (rows.has(1)) {
    const r = ratioOf(md.sqliteTp, md.peerTp);
    add(
      '1',
      'SQLite, 1 endpoint, 64 clients: delivered msg/s',
      md.sqliteTp,
      ' msg/s',
      'peer',
      md.peerTp,
      r,
      '>= 2x peer',
      judge([r], () => r >= 2),
    );
  }
  if (rows.has(2)) {
    const r = ratioOf(md.sqliteP99, md.peerP99);
    const ok = judge([md.sqliteP99, md.peerP99], () => md.sqliteP99 <= 5 && md.sqliteP99 <= md.peerP99);
    add(
      '2',
      'SQLite, steady 1,000 msg/s: p99 create-to-delivered',
      md.sqliteP99,
      ' ms',
      'peer',
      md.peerP99,
      r,
      '<= 5 ms and <= peer',
      ok,
    );
  }
  if (rows.has(3) && Number.isFinite(md.pgTp)) {
    const r = ratioOf(md.pgTp, md.peerTp);
    add(
      '3a',
      'PostgreSQL, 1 node: delivered msg/s',
      md.pgTp,
      ' msg/s',
      'peer',
      md.peerTp,
      r,
      '>= 1x peer',
      judge([r], () => r >= 1),
    );
    const r2 = ratioOf(md.pgP99, md.peerP99);
    add(
      '3b',
      'PostgreSQL, steady 1,000 msg/s: p99',
      md.pgP99,
      ' ms',
      'peer',
      md.peerP99,
      r2,
      '<= 10 ms',
      judge([md.pgP99], () => md.pgP99 <= 10),
    );
  }
  if (rows.has(4)) {
    const r = ratioOf(md.hwFan, md.peerFan);
    add(
      '4',
      'fan-out 1 -> 10 endpoints: deliveries/s',
      md.hwFan,
      ' /s',
      'peer',
      md.peerFan,
      r,
      '>= 2x peer',
      judge([r], () => r >= 2),
    );
  }
  if (rows.has(5)) {
    const r = ratioOf(md.hwIsoDead, md.hwIso);
    const hwOk = judge([md.hwIso], () => md.hwIsoDead <= 1.5 * md.hwIso);
    add(
      '5',
      'half the traffic to a dead endpoint: healthy p99',
      md.hwIsoDead,
      ' ms',
      'own baseline',
      md.hwIso,
      md.hwIsoDead === Infinity ? Infinity : r,
      '<= 1.5x own baseline',
      hwOk,
    );
    const pr = md.peerIsoDead === Infinity ? Infinity : ratioOf(md.peerIsoDead, md.peerIso);
    add(
      '5 peer',
      'the peer, same test: healthy p99',
      md.peerIsoDead,
      ' ms',
      'peer baseline',
      md.peerIso,
      pr,
      '(reported)',
      null,
    );
  }
  if (rows.has(6) && backlog) {
    add(
      '6a',
      `backlog of ${backlog.total.toLocaleString('en-US')}: server RSS peak`,
      backlog.rssPeakMb,
      ' MB',
      'limit',
      150,
      backlog.rssPeakMb / 150,
      '<= 150 MB',
      backlog.rssPeakMb <= 150,
    );
    const r = ratioOf(backlog.drainPerSecond, md.sqliteTp);
    add(
      '6b',
      'backlog: drain rate',
      backlog.drainPerSecond,
      ' msg/s',
      'row 1 Hookway',
      md.sqliteTp,
      r,
      '>= 0.8x row 1',
      judge([r], () => !backlog.timedOut && r >= 0.8),
    );
  }
  if (rows.has(7)) {
    const r = ratioOf(md.store, md.bare);
    add(
      '7a',
      '/in verify + dedupe + store: events/s',
      md.store,
      ' /s',
      'bare Fastify',
      md.bare,
      r,
      '>= 0.5x bare',
      judge([r], () => r >= 0.5),
    );
    const r2 = ratioOf(md.forward, md.bare);
    add(
      '7b',
      '/in ... + forwarding: events/s',
      md.forward,
      ' /s',
      'bare Fastify',
      md.bare,
      r2,
      '>= 0.3x bare',
      judge([r2], () => r2 >= 0.3),
    );
  }
  return out;
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
