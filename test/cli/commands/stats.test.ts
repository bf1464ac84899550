// `stats --by` parsing (src/cli/commands/stats.ts).
import { describe, expect, it } from 'vitest';
import { parseBy } from '../../../src/cli/commands/stats.js';
import { UsageError } from '../../../src/errors.js';

describe('stats --by', () => {
  it('takes one or two keys, repeated or comma-separated', () => {
    expect(parseBy(undefined)).toEqual(['type']);
    expect(parseBy(['type', 'day'])).toEqual(['type', 'day']);
    expect(parseBy(['profile,hour'])).toEqual(['profile', 'hour']);
    for (const bad of [['week'], ['type', 'day', 'hour'], ['type', 'type']]) expect(() => parseBy(bad)).toThrow(UsageError);
  });
});
