import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

// The verdicts of `npm run bench` (bench/table.mjs, a plain script module): a target is met only
// by figures that were measured and reach it; a message never delivered is never "met".
const ROOT = resolve(import.meta.dirname, '../..');
const { tableRows } = await import(pathToFileURL(join(ROOT, 'bench/table.mjs')).href);

const all = new Set([1, 2, 3, 4, 5, 6, 7]);
const verdicts = (md: Record<string, number>, backlog: unknown = null, rows = all) =>
  Object.fromEntries(tableRows(md, backlog, rows).map((r: { row: string; met: boolean | null }) => [r.row, r.met]));

describe('bench table verdicts', () => {
  it('judges each row against its target and reference', () => {
    const md = {
      sqliteTp: 10_000,
      peerTp: 6_000, // 1.67x: row 1 needs 2x
      sqliteP99: 4,
      peerP99: 4.4,
      pgTp: 6_500,
      pgP99: 12, // over 10 ms
      hwFan: 13_000,
      peerFan: 6_000,
      hwIso: 4,
      hwIsoDead: 7, // 1.75x its own baseline
      peerIso: 5,
      peerIsoDead: Number.POSITIVE_INFINITY,
      bare: 20_000,
      store: 10_000,
      forward: 5_000, // 0.25x
    };
    const backlog = { total: 1000, rssPeakMb: 120, drainPerSecond: 8_500, timedOut: false };
    expect(verdicts(md, backlog)).toEqual({
      '1': false,
      '2': true,
      '2 raw': null,
      '3a': true,
      '3b': false,
      '4': true,
      '5': false,
      '5 peer': null,
      '6a': true,
      '6b': true,
      '7a': true,
      '7b': false,
    });
  });

  it('never calls a target met on a figure that was not measured or never arrived', () => {
    const md = {
      sqliteTp: Number.NaN,
      peerTp: 5_000,
      sqliteP99: Number.POSITIVE_INFINITY,
      peerP99: 4,
      hwIso: 3,
      hwIsoDead: Number.POSITIVE_INFINITY,
    };
    const backlog = { total: 1000, rssPeakMb: 90, drainPerSecond: 9_000, timedOut: true };
    const v = verdicts(md, backlog, new Set([1, 2, 5, 6]));
    expect(v).toMatchObject({ '1': null, '2': false, '5': false, '6a': true, '6b': null });
  });
});
