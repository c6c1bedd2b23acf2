const pad = (n: number): string => String(n).padStart(2, '0');

/** `HH:MM:SS` in local time, for "updated" indicators. */
export const clock = (d: Date): string => `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;

export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${clock(d)}`;
}

export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** Accepts a fraction (0.97) or a percentage (97); Hookway answers a fraction. */
export function percent(rate: number | null | undefined): string {
  if (rate === null || rate === undefined || Number.isNaN(rate)) return '—';
  const value = rate <= 1 ? rate * 100 : rate;
  return `${value.toFixed(value >= 99.95 || value === 0 ? 0 : 1)}%`;
}

export const count = (n: number | null | undefined): string =>
  n === null || n === undefined ? '—' : new Intl.NumberFormat().format(n);

/** Pretty-print a body when it is JSON, otherwise return it as received. */
export function prettyBody(body: unknown): string {
  if (body === null || body === undefined) return '';
  if (typeof body !== 'string') return JSON.stringify(body, null, 2);
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

/** `<input type="datetime-local">` value -> ISO string (or undefined when empty). */
export function localToIso(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** ISO string -> `<input type="datetime-local">` value in local time. */
export function isoToLocal(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** A relative URL (an ingest URL) made absolute with this page's origin, so it can be copied as is. */
export function absoluteUrl(url: string): string {
  try {
    return new URL(url, window.location.origin).href;
  } catch {
    return url;
  }
}
