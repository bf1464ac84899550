// The hub between a loop and its view: updates before the view subscribes are kept and handed over
// in order on subscription; after that they go straight through; an unsubscribed view gets none.
import { describe, expect, it } from 'vitest';
import { createHub } from '../../src/tail/hub.js';

describe('createHub', () => {
  it('keeps what comes before the subscription and delivers it first, in order', () => {
    const hub = createHub<string>();
    hub.emit('a');
    hub.emit('b');
    const got: string[] = [];
    hub.subscribe((u) => got.push(u));
    hub.emit('c');
    expect(got).toEqual(['a', 'b', 'c']);
  });

  it('stops delivering after unsubscribe, and keeps again for the next subscriber', () => {
    const hub = createHub<number>();
    const first: number[] = [];
    const stop = hub.subscribe((u) => first.push(u));
    hub.emit(1);
    stop();
    hub.emit(2);
    const second: number[] = [];
    hub.subscribe((u) => second.push(u));
    hub.emit(3);
    expect(first).toEqual([1]);
    expect(second).toEqual([2, 3]);
  });

  it('an old subscription stopping late does not cut off the newer one', () => {
    const hub = createHub<number>();
    const old: number[] = [];
    const stopOld = hub.subscribe((u) => old.push(u));
    const now: number[] = [];
    hub.subscribe((u) => now.push(u));
    stopOld();
    hub.emit(7);
    expect(old).toEqual([]);
    expect(now).toEqual([7]);
  });
});
