// The words forward's header and stream use for its state: live says how often it syncs.
import { describe, expect, it } from 'vitest';
import { describeForward } from '../../src/deliver/updates.js';

describe('describeForward', () => {
  it('says the sync interval as given, or that the mirror is followed', () => {
    expect(describeForward({ kind: 'live', offline: false, every: '5s' }, 0)).toBe('live (syncing every 5s)');
    expect(describeForward({ kind: 'live', offline: false, every: '250ms' }, 0)).toBe('live (syncing every 250ms)');
    expect(describeForward({ kind: 'live', offline: true, every: '5s' }, 0)).toBe('live (following the mirror)');
  });
});
