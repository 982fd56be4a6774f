/**
 * The real core, for the vitest suites: a stand-in for `@tauri-apps/api/core`
 * whose `invoke` asks the app's own invoke handler through the IPC bridge
 * (bridge.ts), so every answer, shape and error a test sees is the core's.
 * Test code only.
 *
 * A suite mocks the Tauri module with it and sets the register up per test:
 *
 *     vi.mock('@tauri-apps/api/core', () => import('./core'));
 *     import { ask, reset } from './core';
 *     beforeEach(() => reset({ demo: true }));
 *
 * One bridge runs per test file, started on first use and closed after the
 * file's tests. "Today" is the demo's, 2026-11-22 (the bridge's
 * CLAUSEBOOK_TODAY).
 */
import { afterAll } from 'vitest';
import { Bridge } from './bridge';

let bridge: Bridge | null = null;

afterAll(async () => {
  await bridge?.close();
  bridge = null;
});

/** What the app sent through `invoke`, and what came back, oldest first; emptied by {@link reset}. */
export const sent: { cmd: string; args: Record<string, unknown>; ok?: unknown; err?: unknown }[] = [];

/**
 * Milliseconds to wait before a command reaches the core, by command name,
 * to hold a state the UI shows while waiting (a slower machine); emptied by
 * {@link reset}.
 */
export const delays: Partial<Record<string, number>> = {};

/**
 * An error the next call of a command answers with instead of reaching the
 * core, by command name (a call that fails once, say while the disk is
 * busy); each is used once, and all are emptied by {@link reset}. Take the
 * error from the core itself (a call of {@link ask} that fails), so that its
 * shape is the core's.
 */
export const failOnce: Partial<Record<string, unknown>> = {};

/** The app's calls still waiting for the core. */
const inFlight = new Set<Promise<unknown>>();

/**
 * Resolves once no call of the app's is waiting for the core, so that one
 * test's export does not answer into the next test.
 */
export async function idle(): Promise<void> {
  while (inFlight.size) await Promise.allSettled([...inFlight]);
}

async function request(cmd: string, args: Record<string, unknown>): Promise<unknown> {
  bridge ??= Bridge.start();
  const reply = await bridge.request(cmd, args);
  // As Tauri does: the command's error object is what the promise rejects with.
  if ('err' in reply) throw reply.err;
  return reply.ok;
}

/** `@tauri-apps/api/core`'s invoke, answered by the core; each call is recorded in {@link sent}. */
export async function invoke<T>(cmd: string, args: Record<string, unknown> = {}): Promise<T> {
  const call: (typeof sent)[number] = { cmd, args };
  sent.push(call);
  const answer = (async () => {
    const delay = delays[cmd];
    if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
    try {
      if (cmd in failOnce) {
        const err = failOnce[cmd];
        delete failOnce[cmd];
        throw err;
      }
      call.ok = await request(cmd, args);
      return call.ok as T;
    } catch (e) {
      call.err = e;
      throw e;
    }
  })();
  inFlight.add(answer);
  answer.then(
    () => inFlight.delete(answer),
    () => inFlight.delete(answer),
  );
  return answer;
}

/** The bindings import Channel too; no command the UI uses takes one. */
export class Channel<T = unknown> {
  onmessage: (message: T) => void = () => {};
}

/** A test's own question to the core (set-up or checking what the UI did), not recorded in {@link sent}. */
export function ask<T>(cmd: string, args: Record<string, unknown> = {}): Promise<T> {
  return request(cmd, args) as Promise<T>;
}

/**
 * A fresh, empty register (the old one is closed, once the app's calls to it
 * are answered), with the demo loaded through `load_demo` when asked.
 * Resolves to the register's temporary folder.
 */
export async function reset({ demo = false }: { demo?: boolean } = {}): Promise<string> {
  await idle();
  sent.length = 0;
  for (const cmd of Object.keys(delays)) delete delays[cmd];
  for (const cmd of Object.keys(failOnce)) delete failOnce[cmd];
  const { dir } = (await request('__reset', { demo })) as { dir: string };
  return dir;
}

/** Adds an agreement of `clauses` clauses through the core's bulk import; resolves to its id. */
export async function bigAgreement(clauses: number): Promise<string> {
  const { agreement } = (await request('__big', { clauses })) as { agreement: { id: string } };
  return agreement.id;
}
