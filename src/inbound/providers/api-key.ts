import { safeEqual } from '../../core/crypto.js';
import type { Verifier } from '../verify-types.js';
import { fail, header, idFromHeader, parseBody, stringField, usableSecrets } from './common.js';

/**
 * A static key in a header (default `x-api-key`). When the header is
 * `authorization`, a leading `Bearer ` is stripped.
 */
export const apiKeyVerifier: Verifier = {
  type: 'api-key',
  verify(req, config) {
    const name = (config.apiKeyHeader ?? 'x-api-key').toLowerCase();
    let value = header(req, name);
    if (!value) return fail(`missing ${name} header`);
    if (name === 'authorization') value = value.replace(/^bearer\s+/i, '');
    const secrets = usableSecrets(config);
    if (secrets.length === 0) return fail('no secrets configured');
    const key = value;
    if (!secrets.some((secret) => safeEqual(key, secret))) return fail('invalid api key');
    return { ok: true, providerEventId: idFromHeader(req, config), eventType: stringField(parseBody(req), 'type') };
  },
};
