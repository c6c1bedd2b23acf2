import type { Store } from '../port.js';
import type { Ctx } from './db.js';

/** Small named values the server keeps across restarts (e.g. the generated admin token's hash). */
export function settingOps(ctx: Ctx): Pick<Store, 'getSetting' | 'setSetting'> {
  const get = ctx.prepare('SELECT value FROM settings WHERE name = ?');
  const set = ctx.prepare(`INSERT INTO settings (name, value) VALUES (?, ?)
    ON CONFLICT (name) DO UPDATE SET value = excluded.value`);

  return {
    async getSetting(name) {
      const row = get().get(name);
      return row ? String(row.value) : null;
    },

    async setSetting(name, value) {
      set().run(name, value);
    },
  };
}
