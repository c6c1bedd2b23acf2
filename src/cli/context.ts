import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { Hookway } from '../sdk/client.js';

/**
 * What every client command shares: where the server is and which token to
 * use, and how to print. Precedence: `--url`/`--token`, then HOOKWAY_URL /
 * HOOKWAY_TOKEN, then the file `hookway login` wrote.
 *
 * These two variables configure the client, not the server, so they are read
 * here rather than in src/config.ts (docs/configuration.md lists both).
 */
export const DEFAULT_URL = 'http://127.0.0.1:8040';

export interface GlobalOptions {
  url?: string;
  token?: string;
  json?: boolean;
  stats?: boolean;
}

export interface Login {
  url: string;
  token: string;
}

export function configFilePath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'hookway', 'config.json');
}

export function readConfigFile(file = configFilePath()): Partial<Login> {
  if (!existsSync(file)) return {};
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<Login>;
    return { url: parsed.url, token: parsed.token };
  } catch {
    throw new Error(`${file} is not valid JSON; run \`hookway login\` again`);
  }
}

/** Written with mode 600: the file holds a bearer token. */
export function writeConfigFile(login: Login, file = configFilePath()): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, `${JSON.stringify(login, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
}

export function resolveLogin(opts: GlobalOptions, env: NodeJS.ProcessEnv = process.env): Login {
  const file = readConfigFile();
  const url = opts.url || env.HOOKWAY_URL || file.url || DEFAULT_URL;
  const token = opts.token || env.HOOKWAY_TOKEN || file.token;
  if (!token) throw new Error('no token: set HOOKWAY_TOKEN, pass --token, or run `hookway login`');
  return { url: url.replace(/\/+$/, ''), token };
}

export function globals(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals() as GlobalOptions;
}

export function client(cmd: Command, options: { timeoutMs?: number } = {}): Hookway {
  const login = resolveLogin(globals(cmd));
  return new Hookway(login.token, { serverUrl: login.url, userAgent: 'hookway-cli', ...options });
}

// ---- output -------------------------------------------------------------

/** `full`: never cut (URLs and errors must stay whole, or two endpoints can look alike). */
export type Column<T> = [header: string, value: (row: T) => unknown, full?: 'full'];

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.join(',');
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export function table<T>(rows: readonly T[], columns: Column<T>[]): string {
  const cells = rows.map((r) => columns.map(([, get]) => cell(get(r)).replace(/\s+/g, ' ')));
  const widths = columns.map(([h, , full], i) =>
    Math.min(full ? Number.MAX_SAFE_INTEGER : 60, Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length))),
  );
  const fmt = (cs: string[]) =>
    cs
      .map((c, i) => {
        const w = widths[i] ?? 0;
        return c.length > w ? `${c.slice(0, w - 1)}…` : c.padEnd(w);
      })
      .join('  ')
      .trimEnd();
  return [fmt(columns.map(([h]) => h.toUpperCase())), ...cells.map(fmt)].join('\n');
}

/** `--json`: the API's JSON as is; otherwise a table (lists) or key/value lines (one object). */
export function print<T>(cmd: Command, value: T | readonly T[], columns: Column<T>[]): void {
  if (globals(cmd).json) {
    process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    return;
  }
  if (Array.isArray(value)) {
    process.stdout.write(value.length === 0 ? '(none)\n' : `${table(value as T[], columns)}\n`);
    return;
  }
  const width = Math.max(...columns.map(([h]) => h.length));
  for (const [h, get] of columns) process.stdout.write(`${h.padEnd(width)}  ${cell(get(value as T))}\n`);
}

/** A line for people on stderr (progress, notices); never mixed into --json output. */
export function note(message: string): void {
  process.stderr.write(`${message}\n`);
}

/**
 * A progress bar on stderr. On a terminal it redraws one line; otherwise
 * (CI, tests, pipes) it prints a line at every 10% so logs stay short.
 */
export function progress(
  label: string,
  total: number | null,
): { update(done: number, failed?: number): void; end(): void } {
  const tty = process.stderr.isTTY === true;
  let lastStep = -1;
  let lastLine = '';
  let printed = '';
  const render = (done: number, failed: number) => {
    const suffix = failed > 0 ? ` (${failed} failed)` : '';
    if (total === null || total === 0) return `${label} ${done}${suffix}`;
    const ratio = Math.min(1, done / total);
    const width = 24;
    const full = Math.round(ratio * width);
    return `${label} [${'#'.repeat(full)}${'.'.repeat(width - full)}] ${done}/${total} ${Math.floor(ratio * 100)}%${suffix}`;
  };
  return {
    update(done, failed = 0) {
      lastLine = render(done, failed);
      if (tty) {
        process.stderr.write(`\r${lastLine}`);
        return;
      }
      const step = total ? Math.floor((done / total) * 10) : Math.floor(Math.log10(Math.max(1, done)) * 3);
      if (step !== lastStep) {
        lastStep = step;
        printed = lastLine;
        process.stderr.write(`${lastLine}\n`);
      }
    },
    end() {
      if (tty) process.stderr.write('\n');
      // The final count, unless that very line was the last one printed.
      else if (lastLine && lastLine !== printed) process.stderr.write(`${lastLine}\n`);
    },
  };
}

/** `24h`, `30m`, `7d` or an ISO date -> ISO date. */
export function parseSince(value: string, now = Date.now()): string {
  const rel = /^(\d+)\s*(s|m|h|d)$/.exec(value.trim());
  if (rel) {
    const unit = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3 }[rel[2] as 's' | 'm' | 'h' | 'd'];
    return new Date(now - Number(rel[1]) * unit).toISOString();
  }
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new Error(`"${value}" is not a date or a duration like 24h`);
  return new Date(ms).toISOString();
}

/** `--data @file.json`, `--data '{"a":1}'` or `--data -` (stdin). */
export function readJsonArg(value: string, what = 'data'): unknown {
  let text = value;
  if (value === '-') text = readFileSync(0, 'utf8');
  else if (value.startsWith('@')) text = readFileSync(value.slice(1), 'utf8');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`--${what} is not valid JSON: ${(err as Error).message}`);
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
