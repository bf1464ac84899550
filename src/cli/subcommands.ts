// A subcommand's name, description and argument in one call, so that groups of subcommands (profile,
// provider, consumers) do not repeat the same chain of commander calls line for line.
import type { Command } from 'commander';

/** Adds `name` under `parent`, with its one argument ([syntax, words]) if it takes one; returns it for options and the action. */
export function subcommand(parent: Command, name: string, description: string, argument?: [string, string]): Command {
  const cmd = parent.command(name).description(description);
  return argument ? cmd.argument(...argument) : cmd;
}
