import { type ChildProcess, spawn } from 'node:child_process';

/**
 * A child process whose stdout and stderr are collected together, as a
 * terminal would show them (carriage returns from a pseudo-terminal dropped).
 */
export function spawnCollecting(
  cmd: string,
  args: string[],
  opts: { env: NodeJS.ProcessEnv; cwd?: string },
): { child: ChildProcess; output: () => string } {
  const child = spawn(cmd, args, { ...opts, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  const collect = (d: Buffer) => {
    out += d.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  return { child, output: () => out.replace(/\r/g, '') };
}
