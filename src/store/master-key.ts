import {
  chmodSync,
  existsSync,
  linkSync,
  mkdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.js';
import { createCipher, generateMasterKey, parseMasterKey } from '../core/cipher.js';
import type { Store } from './port.js';

/**
 * The master key encrypts endpoint and source secrets at rest
 * (secret-columns.ts): where it comes from at start, and its rotation.
 */

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

/** The master keys: from HOOKWAY_MASTER_KEY, else the data dir's key file, created on first start. */
export function loadMasterKey(config: Config): { keys: Buffer[]; generated: boolean } {
  if (config.masterKey) {
    return { keys: config.masterKey.split(',').map(parseMasterKey), generated: false };
  }
  const file = masterKeyFile(config);
  if (existsSync(file)) {
    return { keys: readFileSync(file, 'utf8').trim().split('\n').map(parseMasterKey), generated: false };
  }
  mkdirSync(config.dataDir, { recursive: true });
  // Created whole or not at all: two nodes starting at once on one data dir must not read a
  // half-written key, nor both win (a second key would make the first node's secrets unreadable).
  // The key is written to a private temp file, then linked into place; link fails if the file exists.
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, `${generateMasterKey()}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  let generated = true;
  try {
    linkSync(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    generated = false;
  } finally {
    unlinkSync(tmp);
  }
  return { keys: readFileSync(file, 'utf8').trim().split('\n').map(parseMasterKey), generated };
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
