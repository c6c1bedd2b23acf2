import { safeEqual } from '../../core/crypto.js';
import type { Verifier } from '../verify-types.js';
import { fail, header, idFromHeader, parseBody, stringField, usableSecrets } from './common.js';

/**
 * HTTP Basic: `Authorization: Basic base64(user:password)`; each secret is
 * 'user:password'. A secret without a colon, or a bare ':', is unusable:
 * it would let anyone in who sends empty credentials.
 */
export const basicAuthVerifier: Verifier = {
  type: 'basic-auth',
  verify(req, config) {
    const value = header(req, 'authorization');
    if (!value) return fail('missing authorization header');
    const match = /^basic\s+([A-Za-z0-9+/=_-]+)$/i.exec(value);
    if (!match?.[1]) return fail('authorization header is not basic');
    const credentials = Buffer.from(match[1], 'base64').toString('utf8');
    const secrets = usableSecrets(config).filter((s) => s.includes(':') && s.length > 1);
    if (secrets.length === 0) return fail('no secrets configured');
    if (!secrets.some((secret) => safeEqual(credentials, secret))) return fail('invalid credentials');
    return { ok: true, providerEventId: idFromHeader(req, config), eventType: stringField(parseBody(req), 'type') };
  },
};
