// Routing flags and the ordered pool: malformed values are usage errors, the first matching route
// wins, and a durable position never passes an event still in flight.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { pool } from '../../src/deliver/pool.js';
import { parseRoutes, routeFor } from '../../src/deliver/routes.js';

describe('routes', () => {
  it('takes URL alone or TYPES=URL, and the first match wins', () => {
    const routes = parseRoutes(['invoice.*,crm.deal.created=http://127.0.0.1:1/inv?x=a=b', 'http://127.0.0.1:2/all'], undefined);
    expect(routes[0]).toEqual({ types: ['invoice.*', 'crm.deal.created'], url: 'http://127.0.0.1:1/inv?x=a=b' });
    expect(routeFor(routes, 'invoice.paid')?.url).toBe('http://127.0.0.1:1/inv?x=a=b');
    expect(routeFor(routes, 'crm.deal.created')?.url).toBe('http://127.0.0.1:1/inv?x=a=b');
    expect(routeFor(routes, 'crm.deal.updated')?.url).toBe('http://127.0.0.1:2/all');
    expect(routeFor(parseRoutes(['invoice.*=http://h/'], undefined), 'crm.x')).toBeUndefined();
  });

  it.each([
    [['ftp://host/x'], undefined, /only http/],
    [['localhost:3000'], undefined, /not a URL|use URL or TYPES=URL/],
    [['=http://h/'], undefined, /use URL or TYPES=URL/],
    [['inv*oice=http://h/'], undefined, /not a type/],
    [['invoice.*=nope'], undefined, /not a URL/],
    [['http://h/'], 'cat', /--exec and --to/],
    [[], undefined, /say where to deliver/],
    [[], ' ', /invalid --exec/],
  ])('refuses --to %j --exec %j', (to, exec, message) => {
    expect(() => parseRoutes(to, exec)).toThrow(UsageError);
    expect(() => parseRoutes(to, exec)).toThrow(message);
  });
});

describe('pool', () => {
  it('runs at most N at once and acknowledges only a finished prefix, in order', async () => {
    const items = [0, 1, 2, 3, 4, 5];
    // Item 1 finishes last: the prefix may not pass it before it does.
    const gates = items.map(() => {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      return { promise, resolve };
    });
    // Lets the pool's promise chains run until `cond` holds (bounded: no fixed sleep).
    const settle = async (cond: () => boolean) => {
      for (let i = 0; i < 1000 && !cond(); i++) await new Promise((r) => setImmediate(r));
    };
    let inFlight = 0;
    let most = 0;
    const acks: number[] = [];
    const done: number[] = [];
    const run = pool(
      items,
      3,
      async (i) => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await gates[i]!.promise;
        inFlight -= 1;
        return i;
      },
      (i) => void done.push(i),
      (i) => void acks.push(i),
    );
    gates[0]!.resolve();
    gates[2]!.resolve();
    gates[3]!.resolve();
    await settle(() => done.length === 3 && acks.length === 1);
    expect(done.sort()).toEqual([0, 2, 3]);
    expect(acks).toEqual([0]);
    gates[4]!.resolve();
    gates[5]!.resolve();
    gates[1]!.resolve();
    await run;
    expect(most).toBe(3);
    expect(acks[acks.length - 1]).toBe(5);
    expect([...acks].sort((a, b) => a - b)).toEqual(acks);
    expect(done.sort()).toEqual(items);
  });

  it('stops on the first error after what is in flight', async () => {
    const seen: number[] = [];
    await expect(
      pool([1, 2, 3, 4], 1, async (i) => {
        if (i === 2) throw new Error('stop');
        return i;
      }, (i) => void seen.push(i)),
    ).rejects.toThrow('stop');
    expect(seen).toEqual([1]);
  });
});
