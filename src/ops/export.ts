import { Readable } from 'node:stream';

/**
 * Export rows as CSV or NDJSON, streamed: rows are read a page at a time
 * (keyset pagination) and pulled by the reply stream, so memory stays
 * constant whatever the number of rows. CSV cells that a spreadsheet would
 * run as a formula (=, +, -, @, tab or carriage return first, after any
 * leading spaces) are prefixed with a quote.
 */
export type ExportFormat = 'csv' | 'ndjson';
export type Cell = string | number | boolean | null;

/** The columns of an attempt export: the server's route and `hookway export --client-side` write the same file. */
export const ATTEMPT_COLUMNS = [
  'id',
  'msgId',
  'endpointId',
  'url',
  'status',
  'responseStatusCode',
  'responseDurationMs',
  'triggerType',
  'parentId',
  'errorKind',
  'errorDetail',
  'timestamp',
] as const;

export function csvCell(v: Cell): string {
  if (v === null) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[ \u00a0]*[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function exportStream<T>(
  format: ExportFormat,
  columns: readonly string[],
  pages: AsyncIterable<T[]>,
  toRow: (item: T) => Record<string, Cell>,
): Readable {
  async function* lines(): AsyncGenerator<string> {
    if (format === 'csv') yield `${columns.join(',')}\n`;
    for await (const page of pages) {
      let chunk = '';
      for (const item of page) {
        const row = toRow(item);
        chunk +=
          format === 'csv' ? `${columns.map((c) => csvCell(row[c] ?? null)).join(',')}\n` : `${JSON.stringify(row)}\n`;
      }
      if (chunk) yield chunk;
    }
  }
  return Readable.from(lines(), { objectMode: false });
}

/** Walks a keyset-paginated list until it is done. */
export async function* keysetPages<T>(
  fetch: (iterator: string | undefined) => Promise<{ data: T[]; iterator: string | null; done: boolean }>,
): AsyncGenerator<T[]> {
  let iterator: string | undefined;
  for (;;) {
    const page = await fetch(iterator);
    if (page.data.length > 0) yield page.data;
    if (page.done || page.iterator === null) return;
    iterator = page.iterator;
  }
}
