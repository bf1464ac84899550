// buildProgram builds only the command a line plainly names (2 ms of every start): that command
// must be the same as in the whole tree, and any line it cannot read plainly gets the whole tree.
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { captureIo, runInProcess } from '../support/io.js';

const built = (argv: string[]) => buildProgram(captureIo().io, argv).commands.map((c) => c.name());
const everything = built([]);

/** Every command of the whole tree with its path: ["profile", "add"]… */
function paths(cmd: Command, prefix: string[] = []): Array<{ path: string[]; cmd: Command }> {
  return cmd.commands.flatMap((sub) => [{ path: [...prefix, sub.name()], cmd: sub }, ...paths(sub, [...prefix, sub.name()])]);
}

describe('the command tree a line needs', () => {
  it('is the one command the line names, after any global options and their values', () => {
    expect(everything.length).toBeGreaterThan(15);
    expect(built(['list', '--offline', '--limit', '20'])).toEqual(['list']);
    expect(built(['-p', 'list', '--db', 'x.db', '-o', 'json', '--timeout', '5s', '--retries', '2', 'tail'])).toEqual(['tail']);
    expect(built(['--db=x.db', '--json', '-v', 'stats', '--by', 'type'])).toEqual(['stats']);
    expect(built(['profile', 'add', 'x'])).toEqual(['profile']);
  });

  it('is the whole tree for help, a misspelt command, an unknown flag, completion and the version', () => {
    for (const argv of [[], ['--help'], ['-h'], ['help', 'list'], ['lst'], ['--bogus', 'list'], ['-ojson', 'list'], ['-V'], ['--version'], ['completion', 'bash'], ['--', 'list']]) {
      expect(built(argv), argv.join(' ')).toEqual(everything);
    }
  });

  it('gives each command the help it has in the whole tree', async () => {
    const whole = buildProgram(captureIo().io);
    for (const { path, cmd } of paths(whole)) {
      if (path.includes('help')) continue;
      const r = await runInProcess([...path, '--help']);
      expect(r.code, path.join(' ')).toBe(0);
      expect(r.stdout, path.join(' ')).toBe(cmd.helpInformation());
    }
  });

  it('reports a misspelt command with the suggestion from the whole tree', async () => {
    const r = await runInProcess(['lst']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('(Did you mean list?)');
  });
});
