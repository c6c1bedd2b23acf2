import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERRORS } from '../../src/core/errors.js';

/** Fastify's test/internals/errors.test.js habit: the catalogue and docs/errors.md stay in step. */
const doc = readFileSync(resolve(import.meta.dirname, '../../docs/errors.md'), 'utf8');
const documented = [...doc.matchAll(/^### `([a-z_]+)`\n\n(\d{3})\./gm)].map((m) => ({
  code: m[1] ?? '',
  status: Number(m[2]),
}));

describe('docs/errors.md', () => {
  it('documents every error code with its status', () => {
    for (const [code, { status }] of Object.entries(ERRORS)) {
      const entry = documented.find((d) => d.code === code);
      expect(entry, `${code} is not documented`).toBeDefined();
      expect(entry?.status, `${code} status`).toBe(status);
    }
  });

  it('documents no code that does not exist, and each once', () => {
    const codes = documented.map((d) => d.code);
    expect(codes.filter((c) => !(c in ERRORS))).toEqual([]);
    expect(new Set(codes).size).toBe(codes.length);
  });
});
