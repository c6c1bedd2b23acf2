import { type Ctx, lookupKey } from './sql.js';

/** Small named values the server keeps across restarts (e.g. the generated admin token's hash). */
export async function getSetting(ctx: Ctx, name: string): Promise<string | null> {
  const { rows } = await ctx.db.query('SELECT value FROM settings WHERE name = $1', [lookupKey(name)]);
  return rows[0] ? String(rows[0].value) : null;
}

export async function setSetting(ctx: Ctx, name: string, value: string): Promise<void> {
  await ctx.db.query(
    'INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
    [name, value],
  );
}
