// The real @seamapi/fake-seam-connect, in-process on 127.0.0.1, seeded. Events are
// made through its action routes as a customer's would be (lock/unlock, access codes), and the
// ground truth is its own POST /events/list since 1970. It ignores limit and unstable_offset
// (every match in one response) and lists in insertion order: good for transport, auth, errors
// and windows, while test/support/fake-seam.ts plays the real API's paging.
import http from 'node:http';
import net from 'node:net';
import { createFake, type Fake } from '@seamapi/fake-seam-connect';
import type { SeamEvent } from './fake-seam.js';

export const SEAM_KEY = 'seam_apikey1_token';
export const WORKSPACE = 'seed_workspace_1';
export const LOCKS = ['august_device_1', 'august_device_2', 'schlage_device_id'] as const;

/** The part of the fake's zustand store the tests use (its .d.ts types it as the state). */
interface Store {
  getState(): { events: SeamEvent[]; simulateWorkspaceOutageRecovery(workspaceId: string): void };
  setState(partial: { events: SeamEvent[] }): void;
}

export interface SeamConnect {
  url: string;
  apiKey: string;
  fake: Fake;
  lock(deviceId: string): Promise<void>;
  unlock(deviceId: string): Promise<void>;
  /** Creates an access code and returns its id. */
  createAccessCode(deviceId: string, code: string): Promise<string>;
  /** Deletes one, always naming the device (without it /events/get matches the wrong event). */
  deleteAccessCode(accessCodeId: string, deviceId: string): Promise<void>;
  /** Appends events straight to the store (a merge, never the replacing /_fake/database route). */
  addEvents(events: SeamEvent[]): void;
  /** Every event, from the fake's own /events/list since 1970. */
  truth(): Promise<SeamEvent[]>;
  /** Makes /events/list answer 503 with an empty body, over HTTP as a test harness would. */
  outage(): Promise<void>;
  recover(): void;
  close(): Promise<void>;
}

/** A free port on 127.0.0.1: the fake misreports its URL when given port 0. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Runs `start` with every http.Server listening on loopback only (the fake binds all interfaces). */
async function onLoopback<T>(start: () => Promise<T>): Promise<T> {
  const listen = http.Server.prototype.listen;
  http.Server.prototype.listen = function (this: http.Server, ...args: unknown[]) {
    if (typeof args[0] === 'number' && typeof args[1] !== 'string') args.splice(1, 0, '127.0.0.1');
    else if (typeof args[0] === 'object' && args[0] !== null && !('host' in args[0])) args[0] = { ...args[0], host: '127.0.0.1' };
    return listen.apply(this, args as Parameters<typeof listen>);
  } as typeof listen;
  try {
    return await start();
  } finally {
    http.Server.prototype.listen = listen;
  }
}

/** Starts a seeded fake-seam-connect on 127.0.0.1. */
export async function startSeamConnect(): Promise<SeamConnect> {
  const fake = await createFake();
  await fake.seed();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = await onLoopback(() => fake.startServer({ port, baseUrl: url }));
  const store = fake.database as unknown as Store;

  const call = async (path: string, body: unknown, auth = true): Promise<Record<string, unknown>> => {
    const res = await fetch(url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${SEAM_KEY}` } : {}) },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`fake-seam-connect ${path}: ${res.status} ${text.slice(0, 200)}`);
    return JSON.parse(text) as Record<string, unknown>;
  };

  return {
    url,
    apiKey: SEAM_KEY,
    fake,
    lock: async (device_id) => void (await call('/locks/lock_door', { device_id })),
    unlock: async (device_id) => void (await call('/locks/unlock_door', { device_id })),
    async createAccessCode(device_id, code) {
      const out = await call('/access_codes/create', { device_id, code, name: `Guest ${code}` });
      return (out.access_code as { access_code_id: string }).access_code_id;
    },
    deleteAccessCode: async (access_code_id, device_id) => void (await call('/access_codes/delete', { access_code_id, device_id })),
    addEvents(events) {
      store.setState({ events: [...store.getState().events, ...events] });
    },
    async truth() {
      const out = await call('/events/list', { since: '1970-01-01T00:00:00.000Z' });
      return out.events as SeamEvent[];
    },
    outage: async () => void (await call('/_fake/simulate_workspace_outage', { workspace_id: WORKSPACE, routes: ['/events/list'] }, false)),
    recover: () => store.getState().simulateWorkspaceOutageRecovery(WORKSPACE),
    close: () =>
      new Promise<void>((resolve) => {
        server.server.closeAllConnections?.();
        server.server.close(() => resolve());
      }),
  };
}
