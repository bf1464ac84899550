// Waiting between retries (src/http/backoff.ts): the capped exponential backoff, the delays a
// server asks for (Retry-After as seconds or an HTTP date), header lookup, and an abortable sleep.
import { describe, expect, it } from 'vitest';
import { InterruptedError } from '../../src/errors.js';
import { backoffDelay, headerValue, parseDelay, retryAfterMs, sleep } from '../../src/http/backoff.js';

describe('backoffDelay', () => {
  it('doubles from 0.5 s to a cap of 8 s, each wait jittered between half and all of its ceiling', () => {
    const ceilings = [500, 1000, 2000, 4000, 8000, 8000, 8000];
    ceilings.forEach((ceiling, attempt) => {
      const waits = Array.from({ length: 200 }, () => backoffDelay(attempt));
      expect(Math.min(...waits)).toBeGreaterThanOrEqual(ceiling / 2);
      expect(Math.max(...waits)).toBeLessThanOrEqual(ceiling);
      // Jittered: two hundred draws are not all the same.
      expect(new Set(waits).size).toBeGreaterThan(1);
    });
  });
});

describe('parseDelay and retryAfterMs', () => {
  it('reads seconds, fractions included, as milliseconds', () => {
    expect(parseDelay('0')).toBe(0);
    expect(parseDelay('1.5')).toBe(1500);
    expect(retryAfterMs({ 'retry-after': '3' })).toBe(3000);
  });

  it('reads an HTTP date as the time left until it', () => {
    const at = new Date(Date.now() + 10_000).toUTCString(); // whole seconds: 9–10 s from now
    const ms = retryAfterMs({ 'retry-after': at })!;
    expect(ms).toBeGreaterThan(8_000);
    expect(ms).toBeLessThanOrEqual(10_000);
    // A date in the past asks for no wait at all.
    expect(parseDelay(new Date(Date.now() - 60_000).toUTCString())).toBe(0);
  });

  it('clamps a long request to two minutes and a negative one to nothing', () => {
    expect(parseDelay('3600')).toBe(120_000);
    expect(parseDelay('-5')).toBe(0);
  });

  it('gives undefined for no header or a value that is neither seconds nor a date', () => {
    expect(retryAfterMs({})).toBeUndefined();
    expect(parseDelay('soon')).toBeUndefined();
  });
});

describe('headerValue', () => {
  it('finds a header whatever the case it is asked in, and the first of repeated values', () => {
    const headers = { 'retry-after': '2', ratelimit: ['limit=10, remaining=0, reset=3', 'limit=1'] };
    expect(headerValue(headers, 'Retry-After')).toBe('2');
    expect(headerValue(headers, 'ratelimit')).toBe('limit=10, remaining=0, reset=3');
    expect(headerValue(headers, 'x-missing')).toBeUndefined();
  });
});

describe('sleep', () => {
  it('resolves after the time given', async () => {
    const start = performance.now();
    await sleep(50);
    expect(performance.now() - start).toBeGreaterThanOrEqual(45);
  });

  it('rejects with InterruptedError at once when the signal aborts, mid-sleep or before', async () => {
    const controller = new AbortController();
    const start = performance.now();
    const waiting = sleep(10_000, controller.signal);
    setTimeout(() => controller.abort(), 20);
    await expect(waiting).rejects.toBeInstanceOf(InterruptedError);
    expect(performance.now() - start).toBeLessThan(5_000);
    await expect(sleep(10_000, controller.signal)).rejects.toBeInstanceOf(InterruptedError);
  });
});
