import type { Writable } from 'node:stream';

/**
 * Log lines for a person at a terminal: `12:03:04 WARN  message key=value`.
 * pino still builds (and redacts) the JSON line; this only re-renders it, so
 * what a terminal shows is exactly what the JSON would have said. Pipes,
 * files and containers keep the JSON (see `logFormat` in src/config.ts).
 */
const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
/** Fields every line has, shown in the prefix or not at all. */
const HIDDEN = new Set(['level', 'time', 'pid', 'hostname', 'msg']);

export function formatLogLine(json: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const time = new Date(typeof entry.time === 'number' ? entry.time : Date.now()).toTimeString().slice(0, 8);
  const level = (LEVELS[entry.level as number] ?? String(entry.level)).padEnd(5);
  const fields: string[] = [];
  let stack = '';
  for (const [key, value] of Object.entries(entry)) {
    if (HIDDEN.has(key)) continue;
    if (key === 'err' && value && typeof value === 'object') {
      const err = value as { message?: string; stack?: string };
      fields.push(`err=${JSON.stringify(err.message ?? '')}`);
      if (err.stack) stack = `\n    ${err.stack.split('\n').slice(1).join('\n    ').trim()}`;
      continue;
    }
    fields.push(`${key}=${typeof value === 'string' && !/\s/.test(value) ? value : JSON.stringify(value)}`);
  }
  const msg = typeof entry.msg === 'string' ? entry.msg : '';
  return `${time} ${level} ${[msg, ...fields].filter(Boolean).join(' ')}${stack}\n`;
}

/** A pino destination that writes each line through formatLogLine. */
export function prettyDestination(out: Writable): { write(line: string): void } {
  return { write: (line: string) => void out.write(formatLogLine(line.trimEnd())) };
}
