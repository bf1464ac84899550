// What a command says before it upgrades an existing mirror's schema: a migration may rewrite a
// table, which takes minutes on a large mirror, and silence for that long looks like a hang.

export function upgradeNote(where: string, from: number, to: number): string {
  return `upgrading the mirror ${where} from schema ${from} to ${to}: a large mirror takes minutes (interrupted, it stays as it was)`;
}
