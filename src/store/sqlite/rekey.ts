import type { Store } from '../port.js';
import { rewriteEncrypted, SAFE_IDENTIFIER, SECRET_COLUMNS } from '../secret-columns.js';
import type { Ctx } from './db.js';

/**
 * Master key rotation: every encrypted value in a secret column of any table
 * is rewritten in one transaction, so a failure (a value no key decrypts)
 * leaves the database as it was.
 */
export function rekeyOps(ctx: Ctx): Pick<Store, 'reencryptSecrets'> {
  return {
    async reencryptSecrets(reencrypt) {
      const run = ctx.db.transaction(() => {
        const tables = ctx.db
          .prepare<[], { name: string }>(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
          )
          .all()
          .map((t) => t.name)
          .filter((t) => SAFE_IDENTIFIER.test(t));
        const touched: string[] = [];
        let values = 0;
        for (const table of tables) {
          const columns = ctx.db
            .prepare<[], { name: string }>(`PRAGMA table_info(${table})`)
            .all()
            .map((c) => c.name)
            .filter((c) => SECRET_COLUMNS.has(c));
          for (const column of columns) {
            const rows = ctx.db
              .prepare<[], { rid: number; v: string }>(
                `SELECT rowid AS rid, ${column} AS v FROM ${table} WHERE ${column} LIKE '%enc:v1:%'`,
              )
              .all();
            const update = ctx.db.prepare(`UPDATE ${table} SET ${column} = ? WHERE rowid = ?`);
            for (const row of rows) {
              const { text, count } = rewriteEncrypted(row.v, reencrypt);
              update.run(text, row.rid);
              values += count;
            }
            if (rows.length > 0 && !touched.includes(table)) touched.push(table);
          }
        }
        return { tables: touched, values };
      });
      return run.immediate();
    },
  };
}
