import { describe, expect, it } from 'vitest';
import { newId } from '../../src/core/ids.js';
import type { ApiKey, Store } from '../../src/store/port.js';
import { T0 } from '../helpers/store-fixtures.js';
import { conflict } from './contract-helpers.js';

/** Idempotent answers, API keys and settings. Part of the Store contract (contract.ts). */
export function keysContract(store: () => Store): void {
  describe('idempotency', () => {
    it('returns a saved answer until it expires, and a later save replaces it', async () => {
      expect(await store().getIdempotent('k', T0)).toBeNull();
      await store().saveIdempotent('k', { statusCode: 202, body: '{"id":"msg_1"}' }, T0 + 1000);
      expect(await store().getIdempotent('k', T0)).toEqual({ statusCode: 202, body: '{"id":"msg_1"}' });
      expect(await store().getIdempotent('k', T0 + 999)).not.toBeNull();
      expect(await store().getIdempotent('k', T0 + 1000)).toBeNull();
      await store().saveIdempotent('k', { statusCode: 200, body: '{}' }, T0 + 5000);
      expect(await store().getIdempotent('k', T0 + 1000)).toEqual({ statusCode: 200, body: '{}' });
    });
  });

  describe('api keys and settings', () => {
    const key = (over: Partial<ApiKey> = {}): ApiKey => ({
      id: newId('key'),
      name: 'ci',
      prefix: 'hw_abc',
      hash: `hash-${newId('key')}`,
      scopes: ['app:read', 'msg:write'],
      createdAt: T0,
      lastUsedAt: null,
      expiresAt: T0 + 1000,
      revokedAt: null,
      ...over,
    });

    it('creates, finds by hash, lists, touches and revokes', async () => {
      const k1 = key();
      const k2 = key({ name: 'admin', expiresAt: null });
      await store().createApiKey(k1);
      await store().createApiKey(k2);
      expect(await store().findApiKeyByHash(k1.hash)).toEqual(k1);
      expect(await store().findApiKeyByHash('nope')).toBeNull();
      expect((await store().listApiKeys()).map((k) => k.id)).toEqual([k1.id, k2.id]);

      await store().touchApiKey(k1.id, T0 + 5);
      expect((await store().findApiKeyByHash(k1.hash))?.lastUsedAt).toBe(T0 + 5);
      await store().revokeApiKey(k1.id, T0 + 6);
      await store().revokeApiKey(k1.id, T0 + 7);
      expect((await store().findApiKeyByHash(k1.hash))?.revokedAt).toBe(T0 + 6);
      expect((await store().findApiKeyByHash(k2.hash))?.revokedAt).toBeNull();
    });

    it('refuses a duplicate hash with conflict', async () => {
      const k = key();
      await store().createApiKey(k);
      await expect(store().createApiKey(key({ hash: k.hash }))).rejects.toMatchObject(conflict);
    });

    it('gets and sets settings', async () => {
      expect(await store().getSetting('admin')).toBeNull();
      await store().setSetting('admin', 'one');
      await store().setSetting('admin', 'two');
      expect(await store().getSetting('admin')).toBe('two');
    });
  });
}
