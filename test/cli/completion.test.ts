// Completions and docs follow the live command tree: the checked-in scripts equal what
// `events completion` prints, bash really completes, and the README names every command.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { VERSION } from '../../src/version.js';
import { captureIo, runInProcess } from '../support/io.js';

const FILES = { bash: 'completions/events.bash', zsh: 'completions/_events', fish: 'completions/events.fish' } as const;

type Cmd = ReturnType<typeof buildProgram>;

/** One command of the live tree: its path, its own flags, and the words that may follow it. */
interface Node {
  path: string[];
  flags: string[];
  /** Options that take one of a few values, with those values. */
  choices: Array<{ flags: string[]; values: string[] }>;
  /** Subcommands and the choices of its first argument. */
  words: string[];
}

/** Every command of the live tree, the root first, walked from src/cli/program.ts. */
function tree(): Node[] {
  const nodes: Node[] = [];
  const visit = (cmd: Cmd, path: string[]) => {
    const subs = cmd.commands.filter((c) => c.name() !== 'help');
    const options = cmd.options.filter((o) => !o.hidden);
    const flagsOf = (o: (typeof options)[number]) => [o.short, o.long].filter((f): f is string => Boolean(f));
    const argChoices = (cmd.registeredArguments[0] as { argChoices?: string[] } | undefined)?.argChoices ?? [];
    nodes.push({
      path,
      flags: options.flatMap(flagsOf),
      choices: options.filter((o) => o.argChoices).map((o) => ({ flags: flagsOf(o), values: o.argChoices! })),
      words: [...subs.map((c) => c.name()), ...argChoices],
    });
    for (const sub of subs) visit(sub, [...path, sub.name()]);
  };
  visit(buildProgram(captureIo().io), []);
  return nodes;
}

/** Every command path of the live tree: "sync", "profile add"… */
function commandPaths(): string[] {
  return tree()
    .filter((n) => n.path.length > 0)
    .map((n) => n.path.join(' '));
}

describe('completions', () => {
  it.each(Object.entries(FILES))('completions/ holds what `events completion %s` prints (npm run completions)', async (shell, file) => {
    const r = await runInProcess(['completion', shell]);
    expect(r.code).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toBe(r.stdout);
  });

  it('offers every command, subcommand, option and option value of the live tree, in each script', () => {
    const nodes = tree();
    const globals = nodes[0]!.flags;
    expect(nodes.length).toBeGreaterThan(20);
    const bash = fs.readFileSync(FILES.bash, 'utf8');
    const zsh = fs.readFileSync(FILES.zsh, 'utf8');
    const fish = fs.readFileSync(FILES.fish, 'utf8');
    for (const node of nodes) {
      const where = `events ${node.path.join(' ')}`.trim();
      // The options that may follow the command: its own, and the global ones after any command.
      const flags = [...node.flags, ...(node.path.length > 0 ? globals : [])];
      // bash: one case per command path listing every word and flag that may follow it.
      const line = new RegExp(`^ {4}"${node.path.join(' ')}"\\) words="([^"]*)" ;;$`, 'm').exec(bash);
      expect(line, `bash has no case for ${where}`).not.toBeNull();
      expect(line![1]!.split(' '), `bash: ${where}`).toEqual(expect.arrayContaining([...node.words, ...flags]));
      // zsh: one function per command path.
      const name = ['_events', ...node.path].join('_').replace(/-/g, '_');
      const start = zsh.indexOf(`\n${name}() {\n`);
      expect(start, `zsh has no ${name}`).toBeGreaterThanOrEqual(0);
      const body = zsh.slice(start, zsh.indexOf('\n}\n', start));
      for (const flag of flags) expect(body, `zsh: ${where} ${flag}`).toContain(`'${flag}[`);
      for (const word of node.words) expect(body, `zsh: ${where} ${word}`).toContain(`'${word}:`);
      // fish: a line per word under the command, and per option (the global ones once, unconditioned).
      const cond = node.path.length === 0 ? '__fish_use_subcommand' : node.path.map((p) => `__fish_seen_subcommand_from ${p}`).join('; and ');
      for (const word of node.words) expect(fish, `fish: ${where} ${word}`).toContain(`complete -c events -n '${cond}' -a ${word} `);
      for (const flag of node.flags) {
        const spec = flag.startsWith('--') ? `-l ${flag.slice(2)}` : `-s ${flag.slice(1)}`;
        const prefix = node.path.length === 0 ? 'complete -c events ' : `complete -c events -n '${cond}' `;
        expect(fish.split('\n').some((l) => l.startsWith(prefix) && l.includes(` ${spec} `)), `fish: ${where} ${flag}`).toBe(true);
      }
      // Values of options that take one of a few: offered after the flag.
      for (const { flags: names, values } of node.choices) {
        expect(bash, `bash: values of ${where} ${names.join('|')}`).toContain(`    ${names.join('|')}) COMPREPLY=($(compgen -W "${values.join(' ')}" -- "$cur")); return ;;`);
        expect(zsh).toContain(`(${values.join(' ')})`);
        expect(fish).toContain(`-x -a '${values.join(' ')}'`);
      }
    }
  });

  const complete = (words: string[]) =>
    execFileSync('bash', ['-c', `source ${FILES.bash}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _events; echo "\${COMPREPLY[*]}"`], {
      encoding: 'utf8',
    }).trim();

  it('completes commands, subcommands, flags and flag values in bash', () => {
    expect(complete(['events', 'li']).split(' ')).toEqual(['list']);
    expect(complete(['events', 'profile', '']).split(' ')).toEqual(expect.arrayContaining(['add', 'list', 'show', 'remove', 'use']));
    expect(complete(['events', 'list', '--off'])).toBe('--offline');
    expect(complete(['events', 'profile', 'add', 'x', '--provider', 'c'])).toBe('close');
    expect(complete(['events', 'list', '-o', 'nd'])).toBe('ndjson');
  });

  it('in bash, offers after every command of the live tree exactly its subcommands, and all its flags', () => {
    const nodes = tree();
    const globals = nodes[0]!.flags;
    for (const node of nodes.filter((n) => n.path.length > 0)) {
      const words = complete(['events', ...node.path, '']).split(' ').filter(Boolean);
      expect(words.filter((w) => !w.startsWith('-')).sort(), `events ${node.path.join(' ')}`).toEqual([...node.words].sort());
      const flags = complete(['events', ...node.path, '-']).split(' ');
      expect(flags.sort(), `events ${node.path.join(' ')} -`).toEqual([...new Set([...node.flags, ...globals])].sort());
    }
  });
});

describe('docs', () => {
  it('the README mentions every command', () => {
    const readme = fs.readFileSync('README.md', 'utf8');
    for (const path of commandPaths()) expect(readme, `README lacks "events ${path}"`).toContain(`events ${path}`);
  });

  it('the version matches package.json', () => {
    expect(VERSION).toBe(JSON.parse(fs.readFileSync('package.json', 'utf8')).version);
  });
});
