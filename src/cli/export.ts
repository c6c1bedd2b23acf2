import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { ATTEMPT_COLUMNS, type Cell, csvCell } from '../ops/export.js';
import { type Hookway, paginate } from '../sdk/client.js';
import type { AttemptOut } from '../sdk/types.js';
import { client, globals, note, parseSince, progress } from './context.js';
import { isMissingRoute } from './replay.js';

/**
 * `hookway export <app> --format csv|ndjson --out FILE`: every attempt of an
 * application (or of one endpoint), written as it arrives. Memory stays flat
 * whatever the size: one page (250 attempts) or one network chunk is held at
 * a time, and writes wait for the file stream to drain.
 *
 * The server's export route streams the file when it exists; otherwise the
 * attempt lists are paged through.
 */

/** One attempt as a line of the file, with the server's columns and cell escaping (src/ops/export.ts). */
export function attemptRow(a: AttemptOut, format: 'csv' | 'ndjson'): string {
  if (format === 'ndjson') return `${JSON.stringify(a)}\n`;
  const rec = a as unknown as Record<string, Cell | undefined>;
  return `${ATTEMPT_COLUMNS.map((c) => csvCell(rec[c] ?? null)).join(',')}\n`;
}

async function write(out: Writable, chunk: string): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

export function registerExportCommand(program: Command): void {
  program
    .command('export <app>')
    .description('export delivery attempts as CSV or NDJSON, to a file or to stdout')
    .option('--out <file>', 'file to write (default, or `-`: stdout)')
    .option('--format <format>', 'csv or ndjson', 'csv')
    .option('--endpoint <endpoint>', 'only this endpoint')
    .option('--since <when>', 'ISO date or a duration like 24h')
    .option('--until <when>', 'ISO date or a duration')
    .option('--client-side', 'page through the attempt lists even if the server can export')
    .action(async (app: string, o, cmd: Command) => {
      const format = o.format as 'csv' | 'ndjson';
      if (format !== 'csv' && format !== 'ndjson') throw new Error('--format must be csv or ndjson');
      const hw = client(cmd, { timeoutMs: 0 });
      const since = o.since ? parseSince(o.since) : undefined;
      const until = o.until ? parseSince(o.until) : undefined;
      const filter = { endpoint: o.endpoint as string | undefined, since, until };
      const file: string | null = o.out && o.out !== '-' ? o.out : null;
      let rows: number | null = null;
      // The server's export covers the whole application; one endpoint is paged client-side.
      if (!o.clientSide && !o.endpoint) rows = await serverExport(hw, app, format, file, filter);
      if (rows === null) rows = await pagedExport(hw, app, format, file, filter);
      // On stdout the data is the output; the summary stays on stderr.
      if (globals(cmd).json && file) process.stdout.write(`${JSON.stringify({ file, format, rows })}\n`);
      else note(`Wrote ${rows} attempts to ${file ?? 'stdout'}`);
    });
}

/** The file, or stdout (`null`), which is written to but never closed. */
function sink(file: string | null): Writable {
  return file ? createWriteStream(file) : process.stdout;
}

async function finish(out: Writable, file: string | null): Promise<void> {
  if (!file) return;
  out.end();
  await once(out, 'close');
}

interface Filter {
  endpoint: string | undefined;
  since: string | undefined;
  until: string | undefined;
}

/** Pipes the server's export to the file; null when the server has no export route. */
async function serverExport(
  hw: Hookway,
  app: string,
  format: 'csv' | 'ndjson',
  file: string | null,
  f: Filter,
): Promise<number | null> {
  let res: Response;
  try {
    res = await hw.export.app(app, 'attempts', {
      format,
      ...(f.since && { since: f.since }),
      ...(f.until && { until: f.until }),
    });
  } catch (err) {
    if (isMissingRoute(err)) return null;
    throw err;
  }
  if (!res.body) return 0;
  const bar = progress('export', null);
  let lines = 0;
  const body = Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>);
  body.on('data', (chunk: Buffer) => {
    for (const byte of chunk) if (byte === 10) lines++;
    bar.update(lines);
  });
  const out = sink(file);
  await pipeline(body, out, { end: false });
  await finish(out, file);
  bar.end();
  // A CSV export starts with a header line.
  return format === 'csv' ? Math.max(0, lines - 1) : lines;
}

async function pagedExport(
  hw: Hookway,
  app: string,
  format: 'csv' | 'ndjson',
  file: string | null,
  f: Filter,
): Promise<number> {
  const out = sink(file);
  const bar = progress('export', null);
  let rows = 0;
  try {
    if (format === 'csv') await write(out, `${ATTEMPT_COLUMNS.join(',')}\n`);
    const endpoints: string[] = [];
    if (f.endpoint) endpoints.push(f.endpoint);
    else
      for await (const ep of paginate((it) => hw.endpoint.list(app, { limit: 250, iterator: it ?? null })))
        endpoints.push(ep.id);
    for (const ep of endpoints) {
      for await (const a of paginate((it) =>
        hw.messageAttempt.listByEndpoint(app, ep, {
          limit: 250,
          order: 'ascending',
          iterator: it ?? null,
          ...(f.since && { after: f.since }),
          ...(f.until && { before: f.until }),
        }),
      )) {
        await write(out, attemptRow(a, format));
        rows++;
        if (rows % 1000 === 0) bar.update(rows);
      }
    }
  } finally {
    await finish(out, file);
  }
  bar.update(rows);
  bar.end();
  return rows;
}
