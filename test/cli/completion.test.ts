// Completions and docs follow the live command tree: the checked-in scripts equal what
// `events completion` prints, bash really completes, and the README names every command.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { VERSION } from '../../src/version.js';
import { captureIo, runInProcess } from '../support/io.js';

const FILES = { bash: 'completions/events.bash', zsh: 'completions/_events', fish: 'completions/events.fish' } as const;

/** Every command path of the live tree: "sync", "profile add"… */
function commandPaths(): string[] {
  const paths: string[] = [];
  const visit = (cmd: ReturnType<typeof buildProgram>, prefix: string[]) => {
    for (const sub of cmd.commands) {
      if (sub.name() === 'help') continue;
      const path = [...prefix, sub.name()];
      paths.push(path.join(' '));
      visit(sub, path);
    }
  };
  visit(buildProgram(captureIo().io), []);
  return paths;
}

describe('completions', () => {
  it.each(Object.entries(FILES))('completions/ holds what `events completion %s` prints (npm run completions)', async (shell, file) => {
    const r = await runInProcess(['completion', shell]);
    expect(r.code).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toBe(r.stdout);
  });

  it('names every command and option in each script', () => {
    for (const file of Object.values(FILES)) {
      const text = fs.readFileSync(file, 'utf8');
      for (const path of commandPaths()) expect(text, `${file} lacks ${path}`).toContain(path.split(' ').pop());
      for (const flag of ['--since', '--type', '--where', '--api-key-stdin', '--overlap']) expect(text).toContain(flag.slice(2));
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
