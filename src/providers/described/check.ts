// The small checks validate.ts is made of. Each failure is one line naming the file, the field
// (as a dotted path from the top of the description) and what is allowed there: a UsageError.
import { UsageError } from '../../errors.js';

type Obj = Record<string, unknown>;

export class Checker {
  constructor(private readonly file: string) {}

  fail(field: string, message: string): never {
    throw new UsageError(`provider description ${this.file}: ${field === '' ? '' : `${field}: `}${message}`);
  }

  /** An object whose keys are all among `allowed` (a misspelt key is an error, not ignored). */
  object(value: unknown, field: string, allowed: readonly string[]): Obj {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail(field, `must be an object, not ${kind(value)}`);
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) this.fail(join(field, key), `unknown field; ${field === '' ? 'the top level' : field} takes ${allowed.join(', ')}`);
    }
    return value as Obj;
  }

  /** A non-empty string; `fallback` when absent (undefined: required). */
  string(obj: Obj, key: string, field: string, fallback?: string): string {
    const value = obj[key];
    if (value === undefined) return fallback ?? this.fail(join(field, key), 'missing; it is required');
    if (typeof value !== 'string') this.fail(join(field, key), `must be a string, not ${kind(value)}`);
    return value;
  }

  /** A string or undefined. */
  optionalString(obj: Obj, key: string, field: string): string | undefined {
    return obj[key] === undefined ? undefined : this.string(obj, key, field);
  }

  /** One of `choices`; `fallback` when absent. */
  choice<T extends string>(obj: Obj, key: string, field: string, choices: readonly T[], fallback?: T): T {
    const value = obj[key];
    if (value === undefined && fallback !== undefined) return fallback;
    if (value === undefined) this.fail(join(field, key), `missing; use one of ${choices.join(', ')}`);
    if (typeof value !== 'string' || !choices.includes(value as T)) {
      this.fail(join(field, key), `${JSON.stringify(value)} is not allowed; use one of ${choices.join(', ')}`);
    }
    return value as T;
  }

  /** An integer in [min, max]; `fallback` when absent (undefined: optional). */
  integer(obj: Obj, key: string, field: string, min: number, max: number, fallback?: number): number | undefined {
    const value = obj[key];
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.fail(join(field, key), `must be a whole number from ${min} to ${max}, not ${JSON.stringify(value)}`);
    }
    return value;
  }

  boolean(obj: Obj, key: string, field: string, fallback: boolean): boolean {
    const value = obj[key];
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') this.fail(join(field, key), `must be true or false, not ${kind(value)}`);
    return value;
  }

  /** A string or a non-empty array of strings, as an array. */
  paths(obj: Obj, key: string, field: string, required: boolean): string[] {
    const value = obj[key];
    if (value === undefined) return required ? this.fail(join(field, key), 'missing; give a field path such as "id", or a list of them') : [];
    if (typeof value === 'string' && value !== '') return [value];
    if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string' && v !== '')) return value as string[];
    return this.fail(join(field, key), `must be a field path (a non-empty string) or a list of them, not ${kind(value)}`);
  }
}

export function join(field: string, key: string): string {
  return field === '' ? key : `${field}.${key}`;
}

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 39)}…` : value)}`;
  return `${typeof value} ${JSON.stringify(value)}`;
}
