import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Receiver } from './helpers/receiver.js';
import { startTestServer, type TestServer } from './helpers/server.js';

/**
 * The docs example runner: every fenced block tagged ```sh/```bash (shell,
 * with curl and the `hookway` command) or ```js/```ts (SDK and client usage)
 * in README.md and docs/*.md runs against a live server, so the docs cannot
 * rot. Blocks of one file run in order against one server, so a later block
 * may use what an earlier one created.
 *
 * Environment of every block: HOOKWAY_URL, HOOKWAY_TOKEN, RECEIVER_URL (a
 * local receiver answering 200), and `hookway` on PATH (run from source).
 * In js/ts blocks `hookway/sdk` resolves to src/sdk. A block whose info string
 * says `no-run` (```sh no-run) is not run (it is not a test at all, so the
 * suite reports no skipped tests); such blocks are counted by the first test.
 */
const ROOT = resolve(import.meta.dirname, '..');
// Absolute, so `--import` works from any working directory.
const TSX = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
const RUNNABLE = new Set(['sh', 'bash', 'js', 'ts', 'javascript', 'typescript']);

interface Block {
  file: string;
  line: number;
  lang: string;
  skip: boolean;
  code: string;
  /** The ```text block right after it (only blank lines between): the output it must print. */
  expected: string | null;
}

/**
 * Whether `output` shows every line of `expected`, in order (other lines may
 * come between). In an expected line `…` stands for any text, so ids and
 * times can vary.
 */
function showsExpected(output: string, expected: string): boolean {
  const outLines = output.split('\n').map((l) => l.trimEnd());
  let at = 0;
  for (const want of expected.split('\n').map((l) => l.trim())) {
    if (!want) continue;
    const pattern = new RegExp(
      `^\\s*${want
        .split('…')
        .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
    );
    while (at < outLines.length && !pattern.test(outLines[at] ?? '')) at++;
    if (at === outLines.length) return false;
    at++;
  }
  return true;
}

/** How many blank lines come right before line `i`. */
function blanksBefore(lines: string[], i: number): number {
  let n = 0;
  while (i - n - 1 >= 0 && (lines[i - n - 1] ?? '').trim() === '') n++;
  return n + 1;
}

function extractBlocks(file: string, text: string): Block[] {
  const blocks: (Block & { end: number })[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(\S*)(.*)$/.exec(lines[i] ?? '');
    if (!open) continue;
    const indent = open[1] ?? '';
    const lang = (open[2] ?? '').toLowerCase();
    const info = open[3] ?? '';
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !/^\s*```\s*$/.test(lines[j] ?? ''); j++)
      body.push((lines[j] ?? '').slice(indent.length));
    if (lang === 'text' && blocks.at(-1)?.end === i - blanksBefore(lines, i)) {
      const last = blocks.at(-1);
      if (last) last.expected = body.join('\n');
    }
    if (RUNNABLE.has(lang))
      blocks.push({
        file,
        line: i + 1,
        lang,
        skip: /\bno-run\b/.test(info),
        code: body.join('\n'),
        expected: null,
        end: j,
      });
    i = j;
  }
  return blocks;
}

function docFiles(): string[] {
  // docs/ and its subfolders (docs/providers/...), so every guide's examples run.
  const docs = (readdirSync(join(ROOT, 'docs'), { recursive: true }) as string[])
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => join(ROOT, 'docs', f));
  return [join(ROOT, 'README.md'), ...docs];
}

function run(
  cmd: string,
  args: string[],
  env: Record<string, string>,
  cwd: string,
): Promise<{ code: number | null; out: string }> {
  return new Promise((done) => {
    // Its own process group, so a block that starts a server (or hangs) is killed whole, never left behind.
    const child = spawn(cmd, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const killGroup = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // the group is already gone
      }
    };
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const timer = setTimeout(killGroup, 60_000);
    // A background process of the block may hold stdout open after the shell exits: end the group then.
    child.on('exit', killGroup);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, out });
    });
  });
}

const all = docFiles().map((f) => ({ file: f, blocks: extractBlocks(relative(ROOT, f), readFileSync(f, 'utf8')) }));

describe('documentation examples', () => {
  let bin: string;
  let scratch: string;
  beforeAll(() => {
    bin = mkdtempSync(join(tmpdir(), 'hookway-docs-bin-'));
    const shim = join(bin, 'hookway');
    writeFileSync(
      shim,
      `#!/bin/sh\nexec "${process.execPath}" --import "${TSX}" "${join(ROOT, 'src/cli/main.ts')}" "$@"\n`,
    );
    chmodSync(shim, 0o755);
    // Inside node_modules, so bare imports in examples resolve to the project's dependencies.
    scratch = join(ROOT, 'node_modules', '.cache', 'hookway-docs');
    mkdirSync(scratch, { recursive: true });
  });
  afterAll(() => {
    rmSync(bin, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  });

  it('compares output line by line, in order, with … as the only wildcard', () => {
    expect(showsExpected('noise\npublished msg_2Zz\nmore', 'published msg_…')).toBe(true);
    expect(showsExpected('published msg_2Zz', 'published evt_…')).toBe(false);
    expect(showsExpected('b\na', 'a\nb')).toBe(false);
    expect(showsExpected('a.b', 'a…b')).toBe(true);
    expect(showsExpected('axb', 'a.b')).toBe(false);
  });

  it('finds examples, and counts the skipped ones', () => {
    const blocks = all.flatMap((f) => f.blocks);
    const skipped = blocks.filter((b) => b.skip);
    console.log(`docs examples: ${blocks.length - skipped.length} run, ${skipped.length} skipped (no-run)`);
    expect(blocks.length - skipped.length).toBeGreaterThan(10);
    // Every `no-run` fence of a runnable language in the docs, counted on the raw text:
    // each one is left out of the tests below, and none is lost or run by mistake.
    const fences = all
      .map(({ file }) => readFileSync(file, 'utf8'))
      .flatMap((text) => [...text.matchAll(/^[ \t]*```(\S+)[^\n]*\bno-run\b/gm)])
      .filter((m) => RUNNABLE.has((m[1] ?? '').toLowerCase()));
    expect(skipped.length).toBe(fences.length);
    const checked = blocks.filter((b) => !b.skip && b.expected !== null);
    console.log(`docs examples with their output checked: ${checked.length}`);
    expect(checked.length).toBeGreaterThanOrEqual(5);
  });

  for (const { file, blocks: found } of all) {
    // `no-run` blocks are counted above, not registered as (skipped) tests.
    const blocks = found.filter((b) => !b.skip);
    if (blocks.length === 0) continue;
    describe(relative(ROOT, file), () => {
      let server: TestServer;
      let receiver: Receiver;
      let cwd: string;
      let env: Record<string, string>;
      beforeAll(async () => {
        server = await startTestServer();
        receiver = await Receiver.start();
        cwd = mkdtempSync(join(tmpdir(), 'hookway-docs-'));
        env = {
          HOOKWAY_URL: server.url,
          HOOKWAY_TOKEN: server.token,
          RECEIVER_URL: receiver.url,
          PATH: `${bin}:${process.env.PATH ?? ''}`,
          XDG_CONFIG_HOME: join(cwd, '.config'),
        };
      });
      afterAll(async () => {
        await receiver?.close();
        await server?.close();
        if (cwd) rmSync(cwd, { recursive: true, force: true });
      });

      for (const block of blocks) {
        it(`${block.lang} block at line ${block.line}`, async () => {
          let result: { code: number | null; out: string };
          if (block.lang === 'sh' || block.lang === 'bash') {
            result = await run('bash', ['-euo', 'pipefail', '-c', block.code], env, cwd);
          } else {
            const source = block.code
              .replace(/(['"])hookway\/sdk\1/g, JSON.stringify(join(ROOT, 'src/sdk/index.ts')))
              .replace(/(['"])hookway\1/g, JSON.stringify(join(ROOT, 'src/server.ts')));
            const path = join(scratch, `${relative(ROOT, file).replace(/[^a-z0-9]+/gi, '_')}_${block.line}.mts`);
            writeFileSync(path, source);
            result = await run(process.execPath, ['--import', TSX, path], env, cwd);
          }
          expect(result.code, `${relative(ROOT, file)}:${block.line} failed:\n${result.out}`).toBe(0);
          if (block.expected !== null) {
            const shown = showsExpected(result.out, block.expected);
            expect(
              shown,
              `${relative(ROOT, file)}:${block.line} printed:\n${result.out}\nnot:\n${block.expected}`,
            ).toBe(true);
          }
        }, 90_000);
      }
    });
  }
});

describe('docs/configuration.md', () => {
  it('lists every HOOKWAY_ variable the code reads', () => {
    const doc = readFileSync(join(ROOT, 'docs/configuration.md'), 'utf8');
    // Names that look like variables but are not read from the environment.
    const notVariables = new Set(['HOOKWAY_ERR_BLOCKED_ADDRESS']);
    const names = new Set<string>();
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, entry.name);
        if (entry.isDirectory()) walk(p);
        else if (/\.tsx?$/.test(entry.name)) {
          for (const m of readFileSync(p, 'utf8').matchAll(/\bHOOKWAY_[A-Z0-9_]*[A-Z0-9]\b/g)) names.add(m[0]);
        }
      }
    };
    walk(join(ROOT, 'src'));
    const missing = [...names].filter((n) => !notVariables.has(n) && !doc.includes(`\`${n}\``));
    expect(missing).toEqual([]);
  });
});
