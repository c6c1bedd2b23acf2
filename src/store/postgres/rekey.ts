import { rewriteEncrypted, SAFE_IDENTIFIER, SECRET_COLUMNS } from '../secret-columns.js';
import type { Ctx } from './sql.js';

/**
 * Master key rotation: every encrypted value in a secret column of any table
 * of the schema is rewritten in one transaction, so a failure (a value no key
 * decrypts) leaves the database as it was. Each table is locked against
 * writes (readers carry on) before it is read, so no row written under the
 * old key can slip in behind the scan; SQLite gets the same from its
 * immediate transaction.
 */
export async function reencryptSecrets(
  ctx: Ctx,
  reencrypt: (stored: string) => string,
): Promise<{ tables: string[]; values: number }> {
  return ctx.db.tx(async (c) => {
    const { rows: columns } = await c.query<{ t: string; c: string }>(
      `SELECT table_name AS t, column_name AS c FROM information_schema.columns
       WHERE table_schema = $1 AND column_name = ANY($2::text[]) ORDER BY table_name, column_name`,
      [ctx.db.schema, [...SECRET_COLUMNS]],
    );
    const touched: string[] = [];
    const locked = new Set<string>();
    let values = 0;
    for (const { t: table, c: column } of columns) {
      // Identifiers come from the catalogue and are interpolated, so they are checked first.
      if (!SAFE_IDENTIFIER.test(table) || !SAFE_IDENTIFIER.test(column)) continue;
      if (!locked.has(table)) {
        await c.query(`LOCK TABLE ${table} IN EXCLUSIVE MODE`);
        locked.add(table);
      }
      const { rows } = await c.query<{ rid: string; v: string }>(
        `SELECT ctid::text AS rid, ${column} AS v FROM ${table} WHERE ${column} LIKE '%enc:v1:%'`,
      );
      for (const row of rows) {
        const { text, count } = rewriteEncrypted(row.v, reencrypt);
        await c.query(`UPDATE ${table} SET ${column} = $1 WHERE ctid = $2::tid`, [text, row.rid]);
        values += count;
      }
      if (rows.length > 0 && !touched.includes(table)) touched.push(table);
    }
    return { tables: touched, values };
  });
}
