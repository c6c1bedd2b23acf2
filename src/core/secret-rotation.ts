import type { EndpointSecret } from './types.js';

/**
 * Secret rotation, pure. The new secret becomes current; the old current one
 * stays valid for the grace period (Svix: default 24 h, 0 to 7 days); old
 * secrets still in their grace period are kept, at most 10 of them, newest
 * first. The engine signs with every unexpired secret, so during the grace
 * period each request carries one signature per valid secret.
 */
export const DEFAULT_GRACE_SECONDS = 24 * 3600;
export const MAX_GRACE_SECONDS = 7 * 24 * 3600;
export const MAX_OLD_SECRETS = 10;

export function rotateSecrets(
  secrets: readonly EndpointSecret[],
  newKey: string,
  now: number,
  graceSeconds: number = DEFAULT_GRACE_SECONDS,
): EndpointSecret[] {
  const current = secrets.find((s) => s.expiresAt === null);
  const old = secrets.filter((s) => s.expiresAt !== null && s.expiresAt > now && s.key !== newKey);
  const retired: EndpointSecret[] =
    current && current.key !== newKey && graceSeconds > 0
      ? [{ key: current.key, expiresAt: now + graceSeconds * 1000 }]
      : [];
  const kept = [...retired, ...old].sort((a, b) => (b.expiresAt ?? 0) - (a.expiresAt ?? 0)).slice(0, MAX_OLD_SECRETS);
  return [{ key: newKey, expiresAt: null }, ...kept];
}
