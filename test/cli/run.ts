import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the `hookway` command as a child process from source (`node --import
 * tsx src/cli/main.ts`), so the tests never depend on a stale dist/. Async:
 * the server under test often runs in this same process.
 */
export function runCli(args: string[], env: Record<string, string> = {}, input?: string): Promise<CliResult> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', resolve(ROOT, 'src/cli/main.ts'), ...args], {
      cwd: ROOT,
      env: { ...process.env, HOOKWAY_URL: '', HOOKWAY_TOKEN: '', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

/** The peak RSS the CLI reported with the hidden `--stats` flag, in MB. */
export function peakRssMb(stderr: string): number {
  const m = /hookway-stats (\{.*\})/.exec(stderr);
  if (!m?.[1]) throw new Error(`no stats line in:\n${stderr}`);
  return (JSON.parse(m[1]) as { maxRssKb: number }).maxRssKb / 1024;
}
