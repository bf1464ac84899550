// Small SQL text helpers. Values always travel as bind parameters; these are only for the few
// names that cannot (the schema in DDL and search_path, the NOTIFY channel baked into a function).
import { createHash } from 'node:crypto';

/** A quoted identifier: "my schema" stays one name, "x""y" keeps its quote. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A quoted string literal (standard_conforming_strings, on by default since PostgreSQL 9.1). */
export function quoteLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/**
 * The NOTIFY channel of a mirror: one per schema, so test schemas and side-by-side mirrors on one
 * database do not wake each other. Channel names are identifiers (at most 63 bytes): a long
 * schema name is hashed.
 */
export function channelOf(schema: string): string {
  const plain = `events:${schema}`;
  if (Buffer.byteLength(plain) <= 63) return plain;
  return `events:${createHash('sha256').update(schema).digest('hex').slice(0, 40)}`;
}
