/**
 * A second process for the concurrent-migration test: opens the SQLite file
 * given as argv[2], waits until the wall-clock time argv[3] so that its
 * sibling starts together, migrates, and prints what it applied as JSON.
 */
import { randomBytes } from 'node:crypto';
import { createCipher } from '../../src/core/cipher.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';

const [path, startAt] = process.argv.slice(2);
if (!path || !startAt) throw new Error('usage: sqlite-migrate-child PATH START_AT_MS');
const store = await openSqliteStore({ path, cipher: createCipher([randomBytes(32)]) });
while (Date.now() < Number(startAt)) {
  // Busy-wait: a timer's granularity would spread the two starts further apart.
}
const result = await store.migrate();
await store.close();
process.stdout.write(JSON.stringify(result));
