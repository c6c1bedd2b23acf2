import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.js';
import { createCipher } from '../core/cipher.js';
import type { Store } from '../store/port.js';

/**
 * Master key rotation. Values are decrypted with any known key (new or old)
 * and encrypted under the new one, in one transaction per database; values
 * already under the new key are simply re-encrypted, so a run that was
 * interrupted can be repeated.
 */
export async function rotateMasterKey(
  store: Store,
  oldKeys: readonly Buffer[],
  newKey: Buffer,
): Promise<{ tables: string[]; values: number }> {
  const both = createCipher([newKey, ...oldKeys]);
  return store.reencryptSecrets((stored) => both.encrypt(both.decrypt(stored)));
}

export function masterKeyFile(config: Config): string {
  return join(config.dataDir, 'master.key');
}

/**
 * Writes the data directory's key file: one key per line, current first, the
 * rest still read (decrypt only). Written beside and renamed, so a crash
 * never leaves a half-written file.
 */
export function writeMasterKeyFile(file: string, keys: readonly string[]): void {
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, `${keys.join('\n')}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

export function readMasterKeyLines(file: string): string[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}
