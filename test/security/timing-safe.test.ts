import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { SourceConfig, SourceType } from '../../src/inbound/verify-types.js';

/**
 * Every secret check is constant-time. Behaviourally: node:crypto's
 * timingSafeEqual is spied on, and each path that checks a secret (the
 * core helpers, Standard Webhooks verification, the receiver SDK, the
 * basic-auth and api-key inbound verifiers) must call it. Structurally: API
 * tokens are never compared at all (only their SHA-256 is looked up), and no
 * source file outside src/core/crypto.ts compares bytes itself.
 */
const spy = vi.hoisted(() => ({ calls: 0 }));
vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:crypto')>();
  return {
    ...real,
    default: real,
    timingSafeEqual: (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
      spy.calls++;
      return real.timingSafeEqual(a, b);
    },
  };
});

const { digestEqual, safeEqual, sha256Hex } = await import('../../src/core/crypto.js');
const { verifySignature, signatureHeader } = await import('../../src/core/signing.js');
const { verifiers } = await import('../../src/inbound/providers/index.js');

function calls(fn: () => unknown): number {
  const before = spy.calls;
  fn();
  return spy.calls - before;
}

const SRC = join(import.meta.dirname, '../../src');
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return f === 'dashboard' ? [] : sources(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

describe('timing-safe comparison', () => {
  it('safeEqual uses timingSafeEqual and is correct on every length', () => {
    expect(calls(() => expect(safeEqual('abc', 'abc')).toBe(true))).toBe(1);
    expect(calls(() => expect(safeEqual('abc', 'abd')).toBe(false))).toBe(1);
    expect(calls(() => expect(safeEqual('abc', 'abcd')).toBe(false))).toBe(1);
    expect(safeEqual(Buffer.from('x'), 'x')).toBe(true);
    expect(safeEqual('', '')).toBe(true);
  });

  it('digestEqual (signatures of a public length) uses timingSafeEqual on equal lengths', () => {
    const sig = `sha256=${'a'.repeat(64)}`;
    expect(calls(() => expect(digestEqual(sig, sig)).toBe(true))).toBe(1);
    expect(calls(() => expect(digestEqual(sig, `sha256=${'b'.repeat(64)}`)).toBe(false))).toBe(1);
    // A length the format never has is refused without comparing.
    expect(digestEqual(sig, sig.slice(1))).toBe(false);
    // Lengths are compared in bytes, not characters.
    expect(digestEqual('é', 'e')).toBe(false);
  });

  it('Standard Webhooks verification compares through it', () => {
    const secret = `whsec_${Buffer.alloc(24, 1).toString('base64')}`;
    const now = Math.floor(Date.now() / 1000);
    const header = signatureHeader([secret], 'msg_1', now, '{}');
    const n = calls(() => {
      const r = verifySignature([secret], 'msg_1', String(now), header, Buffer.from('{}'), { nowSeconds: now });
      expect(r.ok).toBe(true);
    });
    expect(n).toBeGreaterThanOrEqual(1);
    // A wrong signature of the right length (32 bytes, base64) is compared, not refused early.
    const wrong = `v1,${Buffer.alloc(32, 7).toString('base64')}`;
    expect(
      calls(() => verifySignature([secret], 'msg_1', String(now), wrong, Buffer.from('{}'), { nowSeconds: now })),
    ).toBeGreaterThanOrEqual(1);
  });

  it('basic-auth and api-key sources compare through it, matching or not', () => {
    const req = (headers: Record<string, string>) => ({
      headers,
      rawBody: Buffer.from('{}'),
      url: 'http://h/in/src_1',
    });
    const now = Math.floor(Date.now() / 1000);
    const basic = `Basic ${Buffer.from('user:pass').toString('base64')}`;
    const cases: Array<[SourceType, SourceConfig, Record<string, string>, Record<string, string>]> = [
      [
        'basic-auth',
        { secrets: ['user:pass'] },
        { authorization: basic },
        { authorization: `Basic ${Buffer.from('user:nope').toString('base64')}` },
      ],
      [
        'api-key',
        { secrets: ['k-123'] },
        { 'x-api-key': 'k-123', authorization: 'Bearer k-123' },
        { 'x-api-key': 'k-124', authorization: 'Bearer k-124' },
      ],
    ];
    for (const [type, config, good, bad] of cases) {
      const verifier = verifiers[type];
      expect(calls(() => expect(verifier.verify(req(good), config, now).ok, type).toBe(true))).toBeGreaterThanOrEqual(
        1,
      );
      expect(calls(() => expect(verifier.verify(req(bad), config, now).ok, type).toBe(false))).toBeGreaterThanOrEqual(
        1,
      );
    }
  });

  it('API tokens are looked up by SHA-256, never compared', async () => {
    // Behaviour, through a real server: the store is asked for the token's hash, never the token.
    const { startTestServer, api } = await import('../helpers/server.js');
    const server = await startTestServer();
    try {
      const created = await api(server, 'POST', '/api/v1/auth/keys', { name: 'probe', scopes: ['admin'] });
      const token = created.body.token as string;
      expect(token).toMatch(/^hw_/);
      const lookup = vi.spyOn(server.hw.store, 'findApiKeyByHash');
      const before = spy.calls;
      const res = await fetch(`${server.url}/api/v1/app`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      expect(lookup.mock.calls.map((c) => c[0])).toEqual([sha256Hex(token)]);
      // Found by its hash: no byte comparison of the token at all.
      expect(spy.calls - before).toBe(0);
      lookup.mockRestore();
    } finally {
      await server.close();
    }
  });

  it('no source file compares bytes or secrets itself', () => {
    const offenders: string[] = [];
    for (const file of sources(SRC)) {
      const rel = relative(SRC, file);
      const text = readFileSync(file, 'utf8');
      if (rel !== join('core', 'crypto.ts') && /timingSafeEqual|Buffer\.compare\(|\.equals\(/.test(text)) {
        // Comparing two master keys (not a secret check against input) is the one allowed use.
        if (!(rel === join('cli', 'master-key.ts') && /parseMasterKey\(l\)\.equals\(newKey\)/.test(text)))
          offenders.push(rel);
      }
      for (const line of text.split('\n')) {
        if (
          /\b(secret|signature|token|password|apiKey|credentials)\w*\s*===\s*\w*(secret|signature|token|password|expected|credentials)/i.test(
            line,
          )
        ) {
          offenders.push(`${rel}: ${line.trim()}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });
});
