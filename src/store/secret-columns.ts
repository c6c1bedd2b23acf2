/**
 * Where encrypted values live, for master key rotation. Rather than a list of
 * tables (which every new feature would have to extend), any column with one
 * of these names, in any table, is scanned for `enc:v1:` values; endpoint
 * secrets, source configs and whatever comes next are covered by naming.
 */
export const SECRET_COLUMNS = new Set(['secret', 'secrets', 'config', 'credentials']);

/** One encrypted value inside a column (a whole value, or a string inside JSON text). */
export const ENCRYPTED_VALUE = /enc:v1:[A-Za-z0-9+/]+={0,2}/g;

/** Identifiers read from the catalogue are interpolated, so they are checked first. */
export const SAFE_IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** Rewrites every encrypted value in `text`; answers the new text and how many were rewritten. */
export function rewriteEncrypted(text: string, reencrypt: (stored: string) => string): { text: string; count: number } {
  let count = 0;
  const out = text.replace(ENCRYPTED_VALUE, (stored) => {
    count++;
    return reencrypt(stored);
  });
  return { text: out, count };
}
