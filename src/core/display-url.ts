/**
 * Text shown to people (API answers, exports, the dashboard, the CLI) never
 * carries URL credentials: `https://user:pass@host/` reads `https://host/`.
 * Endpoint URLs with credentials are refused on creation, but a
 * transformation may produce one and error messages may quote one.
 */
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]+@/gi;

export function withoutUserinfo(text: string): string;
export function withoutUserinfo(text: string | null): string | null;
export function withoutUserinfo(text: string | null): string | null {
  return text === null ? null : text.replace(USERINFO, '$1');
}
