import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { HookwayError } from '../../src/core/errors.js';
import { withAvailability } from '../../src/store/availability.js';
import type { Store } from '../../src/store/port.js';
import { classifyPgFault } from '../../src/store/postgres/faults.js';
import { classifySqliteFault } from '../../src/store/sqlite/errors.js';

/**
 * The wrapper's bookkeeping, over a two-method stand-in for a store (the
 * real faults are caused in test/faults/): which errors become 503, and
 * which log lines an operator gets.
 */
function setup() {
  const lines: Array<{ level: number; msg: string }> = [];
  const log = pino({ level: 'debug' }, { write: (s: string) => lines.push(JSON.parse(s)) });
  const state = { full: false, broken: false };
  const fake = {
    async getSetting() {
      return 'ok';
    },
    async setSetting() {
      if (state.full) throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
      if (state.broken) throw Object.assign(new Error('syntax error'), { code: 'SQLITE_ERROR' });
    },
  } as unknown as Store;
  return { store: withAvailability(fake, classifySqliteFault, log), state, lines };
}

describe('withAvailability', () => {
  it('turns a fault into 503 database_unavailable, logs it once, and logs recovery only when the failed operation succeeds', async () => {
    const { store, state, lines } = setup();
    state.full = true;
    const err = await store.setSetting('a', 'b').catch((e) => e);
    expect(err).toBeInstanceOf(HookwayError);
    expect(err).toMatchObject({ code: 'database_unavailable', status: 503 });
    expect(err.message).toMatch(/SQLite disk is full/);
    await expect(store.setSetting('a', 'b')).rejects.toMatchObject({ code: 'database_unavailable' });
    expect(lines.filter((l) => /database unavailable/.test(l.msg))).toHaveLength(1);
    // Reads still work on a full disk: that does not end the fault.
    await store.getSetting('a');
    expect(lines.some((l) => /available again/.test(l.msg))).toBe(false);
    state.full = false;
    await store.setSetting('a', 'b');
    expect(lines.filter((l) => /available again/.test(l.msg))).toHaveLength(1);
  });

  it('passes other errors through unchanged', async () => {
    const { store, state, lines } = setup();
    state.broken = true;
    await expect(store.setSetting('a', 'b')).rejects.toMatchObject({ code: 'SQLITE_ERROR' });
    expect(lines).toEqual([]);
  });
});

describe('fault classifiers', () => {
  it('know PostgreSQL outages from query errors', () => {
    expect(classifyPgFault({ code: '57P01' })).toMatch(/terminated/);
    expect(classifyPgFault({ code: '57P03' })).toMatch(/starting up/);
    expect(classifyPgFault({ code: 'ECONNREFUSED' })).toMatch(/ECONNREFUSED/);
    expect(classifyPgFault({ code: '08006' })).toMatch(/08006/);
    expect(classifyPgFault(new Error('Connection terminated unexpectedly'))).toMatch(/connection lost/);
    expect(classifyPgFault(new Error('timeout exceeded when trying to connect'))).toMatch(/connection lost/);
    expect(classifyPgFault(new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })]))).toMatch(
      /ECONNREFUSED/,
    );
    expect(classifyPgFault({ code: '23505' })).toBeNull();
    expect(classifyPgFault({ code: '42P01' })).toBeNull();
    expect(classifyPgFault(new Error('syntax error'))).toBeNull();
  });

  it('know a full or failing SQLite disk from statement errors', () => {
    expect(classifySqliteFault({ code: 'SQLITE_FULL' })).toMatch(/disk is full/);
    expect(classifySqliteFault({ code: 'SQLITE_IOERR_WRITE' })).toMatch(/SQLITE_IOERR_WRITE/);
    expect(classifySqliteFault({ code: 'SQLITE_CONSTRAINT_UNIQUE' })).toBeNull();
  });
});
