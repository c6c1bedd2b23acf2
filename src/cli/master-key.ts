import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { createCipher, generateMasterKey, parseMasterKey } from '../core/cipher.js';
import { masterKeyFile, readMasterKeyLines, rotateMasterKey, writeMasterKeyFile } from '../store/master-key.js';
import { describeDatabase, openStore } from '../store/open.js';

/**
 * `hookway master-key generate|rotate`: secrets at rest are encrypted under
 * the master key (docs/security.md). Rotation keeps every old key readable
 * while it runs: with the data-directory key file, the new key is written
 * first (old keys below it) before any value changes, so a crash at any
 * point leaves a file that decrypts everything.
 */
export function registerMasterKeyCommand(program: Command): void {
  const mk = program.command('master-key').description('the key that encrypts secrets at rest');

  mk.command('generate')
    .description('print a new random master key (base64, 32 bytes)')
    .action(() => {
      process.stdout.write(`${generateMasterKey()}\n`);
    });

  mk.command('rotate')
    .description('re-encrypt every stored secret under a new master key')
    .option('--new-key <key>', 'the new key (required when HOOKWAY_MASTER_KEY is set; generated otherwise)')
    .option('--drop-old', 'remove the old keys from the key file once every value is re-encrypted')
    .action(async (o: { newKey?: string; dropOld?: boolean }) => {
      const config = loadConfig();
      const fromEnv = config.masterKey !== undefined;
      const file = masterKeyFile(config);
      const oldLines = fromEnv
        ? (config.masterKey ?? '')
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : readMasterKeyLines(file);
      if (oldLines.length === 0)
        throw new Error(`No master key found (HOOKWAY_MASTER_KEY or ${file}); nothing to rotate.`);
      if (fromEnv && !o.newKey) {
        throw new Error(
          'HOOKWAY_MASTER_KEY is set: generate a key (`hookway master-key generate`) and pass it with --new-key.',
        );
      }
      const newText = o.newKey ?? generateMasterKey();
      const newKey = parseMasterKey(newText);
      const oldKeys = oldLines.map(parseMasterKey);
      const others = oldLines.filter((l) => !parseMasterKey(l).equals(newKey));
      if (!fromEnv) writeMasterKeyFile(file, [newText, ...others]);

      const store = await openStore(config, createCipher([newKey, ...oldKeys]));
      let result: { tables: string[]; values: number };
      try {
        result = await rotateMasterKey(store, oldKeys, newKey);
      } finally {
        await store.close();
      }
      process.stdout.write(
        `Re-encrypted ${result.values} secret value(s) in ${result.tables.join(', ') || 'no table'} of ${describeDatabase(config)}.\n`,
      );
      if (fromEnv) {
        process.stdout.write(
          `Now set HOOKWAY_MASTER_KEY=${[newText, ...others].join(',')} on every node and restart them;\n` +
            'once all nodes run with it, the old keys can be removed from the list.\n',
        );
      } else if (o.dropOld) {
        writeMasterKeyFile(file, [newText]);
        process.stdout.write(`${file} now holds only the new key. Restart every node.\n`);
      } else {
        process.stdout.write(`${file} holds the new key first and the old ones after it. Restart every node.\n`);
      }
    });
}
