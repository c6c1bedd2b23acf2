import { describe, expect, it } from 'vitest';
import { fanOut, wants } from '../../src/core/fanout.js';
import { compileFilter, FilterCompileError, parsePayload } from '../../src/core/filter.js';
import type { Message } from '../../src/core/types.js';

const run = (expr: string, payload: unknown, eventType = 'invoice.paid', channels: string[] = []) =>
  compileFilter(expr).evaluate({ payload: parsePayload(JSON.stringify(payload)), eventType, channels });

const compileError = (expr: string): FilterCompileError => {
  try {
    compileFilter(expr);
  } catch (err) {
    if (err instanceof FilterCompileError) return err;
    throw err;
  }
  throw new Error(`${expr} compiled`);
};

describe('payload filters (CEL)', () => {
  it('answers true or false over payload, eventType and channels', () => {
    const f = 'payload.amount >= 1000 && payload.currency == "EUR"';
    expect(run(f, { amount: 1500, currency: 'EUR' })).toEqual({ pass: true });
    expect(run(f, { amount: 999.5, currency: 'EUR' })).toEqual({ pass: false });
    expect(run(f, { amount: 5000, currency: 'USD' })).toEqual({ pass: false });
    expect(run('eventType.startsWith("invoice.")', {})).toEqual({ pass: true });
    expect(run('"eu" in channels', {}, 'a', ['us', 'eu'])).toEqual({ pass: true });
    expect(run('"eu" in channels', {}, 'a', ['us'])).toEqual({ pass: false });
    // Whole JSON numbers are CEL ints (so % works), fractions doubles; the two compare.
    expect(run('payload.n % 2 == 0 && payload.price < 9.99', { n: 4, price: 9.5 })).toEqual({ pass: true });
    expect(run('payload.items.exists(i, i.sku.startsWith("A"))', { items: [{ sku: 'B' }, { sku: 'AB' }] })).toEqual({
      pass: true,
    });
    expect(run('has(payload.customer) && payload.customer.vip', { other: 1 })).toEqual({ pass: false });
  });

  it('a run-time error answers no match with the reason, never throws', () => {
    expect(run('payload.amount > 10', { currency: 'EUR' })).toEqual({ pass: false, error: 'No such key: amount' });
    const notBool = run('payload.amount', { amount: 3 });
    expect(notBool).toEqual({ pass: false, error: 'the filter answered an int, not a bool' });
    const typed = run('payload.name > 3', { name: 'x' });
    expect(typed.pass).toBe(false);
    expect(typed.error).toMatch(/overload|operator|>/i);
  });

  it('refuses what does not compile, with the offset of the problem', () => {
    const eof = compileError('payload.amount >= ');
    expect(eof.message).toMatch(/Unexpected token/);
    expect(eof.position).toBe(18);
    expect(compileError('amount > 3').message).toMatch(/Unknown variable: amount/);
    expect(compileError('eventType + 1').message).toMatch(/no such overload/);
    expect(compileError('"text"').message).toBe('the filter must answer a bool, not string');
    expect(compileError('   ').message).toBe('the filter is empty');
    expect(compileError(`payload.a == "${'x'.repeat(3000)}"`).message).toMatch(/longer than 2048/);
  });

  it('bounds cost: no regular expressions, no outer variables in comprehensions, limited size and depth', () => {
    expect(compileError('payload.s.matches("(a+)+$")').message).toMatch(/matches\(\) is not available/);
    // Quadratic shapes: a comprehension reaching back to the whole payload.
    expect(compileError('payload.items.all(x, payload.items.exists(y, y == x))').message).toMatch(
      /only the iteration variable may be used, not "payload"/,
    );
    expect(compileError('payload.a.all(x, x.b.exists(y, y == x.c))').message).toMatch(/not "x"/);
    expect(compileError(`${'('.repeat(40)}true${')'.repeat(40)}`).message).toMatch(/maxDepth/);
    const wide = Array.from({ length: 100 }, () => `eventType=="a"`).join('||');
    expect(compileError(wide).message).toMatch(/maxAstNodes/);
    // Nested comprehensions over a part of the element stay linear and are allowed.
    expect(run('payload.a.all(x, x.tags.exists(t, t == "v"))', { a: [{ tags: ['v'] }, { tags: ['w', 'v'] }] })).toEqual(
      {
        pass: true,
      },
    );
  });

  it('evaluates a comprehension over a 1 MB payload in linear time', () => {
    const items = Array.from({ length: 20_000 }, (_, i) => ({ sku: `S${i}`, qty: i % 7, note: 'x'.repeat(20) }));
    const payload = parsePayload(JSON.stringify({ items }));
    const f = compileFilter(
      'payload.items.exists(i, i.sku == "S19999" && i.qty == 0) && payload.items.all(i, i.qty < 7)',
    );
    const started = performance.now();
    expect(f.evaluate({ payload, eventType: 'a', channels: [] })).toEqual({ pass: true });
    const ms = performance.now() - started;
    // Two passes over 20,000 elements; generous for a loaded 2-core machine, far below a quadratic walk.
    expect(ms).toBeLessThan(2000);
  });
});

describe('fan-out with filters', () => {
  const message = (payload: unknown, over: Partial<Message> = {}): Message => ({
    id: 'msg_1',
    appId: 'app_1',
    eventType: 'invoice.paid',
    eventId: null,
    payload: JSON.stringify(payload),
    channels: null,
    tags: null,
    createdAt: 0,
    ...over,
  });
  const ep = (id: string, filter: string | null, filterTypes: string[] | null = null) => ({
    id,
    filter,
    filterTypes,
    channels: null,
  });

  it('keeps matching endpoints, drops the others, and records filter errors', () => {
    const endpoints = [
      ep('ep_all', null),
      ep('ep_big', 'payload.amount >= 1000'),
      ep('ep_small', 'payload.amount < 1000'),
      ep('ep_broken', 'payload.customer.id == "c1"'),
      ep('ep_type', 'true', ['charge.*']),
    ];
    expect(fanOut(endpoints, message({ amount: 1200 }))).toEqual({
      endpointIds: ['ep_all', 'ep_big'],
      filterErrors: [{ endpointId: 'ep_broken', error: 'No such key: customer' }],
    });
    expect(wants(ep('x', 'payload.amount < 1000'), message({ amount: 5 }))).toBe(true);
    expect(wants(ep('x', 'payload.amount < 1000'), message({ amount: 5 }, { eventType: 'z' }))).toBe(true);
    expect(wants(ep('x', 'true', ['charge.*']), message({}))).toBe(false);
  });

  it('a payload that is not JSON is a filter error for filtering endpoints only', () => {
    const m = message(null, { payload: 'not json' });
    expect(fanOut([ep('a', null), ep('b', 'true')], m)).toEqual({
      endpointIds: ['a'],
      filterErrors: [{ endpointId: 'b', error: 'the payload is not JSON, so the filter cannot read it' }],
    });
  });
});
