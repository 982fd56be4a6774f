/**
 * A Node client of the IPC bridge (`tests/bridge/ipc_bridge.rs`, the
 * `ipc-bridge` example of the root package): the desktop app's own invoke
 * handler over the real core, spoken to as one JSON object per line on the
 * child's standard input and output. Used by the vitest suites (core.ts) and
 * by fixture mode's Vite plugin (vite.config.ts). Test code: nothing under
 * src/ other than src/test imports it.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

/** The bridge's answer to one request: the command's data, or its error. */
export type Reply = { ok: unknown } | { err: unknown };

/** The day the demo's story is set on: the bridge's core takes it as "today" (CLAUSEBOOK_TODAY). */
export const STORY_TODAY = '2026-11-22';

/**
 * Where the bridge binary is: `CLAUSEBOOK_BRIDGE`, else the debug examples
 * folder of `CARGO_TARGET_DIR` (the Makefile's default when unset).
 */
export function bridgePath(env: Record<string, string | undefined> = process.env): string {
  if (env.CLAUSEBOOK_BRIDGE) return env.CLAUSEBOOK_BRIDGE;
  const target = env.CARGO_TARGET_DIR || join(homedir(), '.cache', 'clausebook', 'target');
  return join(target, 'debug', 'examples', process.platform === 'win32' ? 'ipc-bridge.exe' : 'ipc-bridge');
}

/** One running bridge. Requests are answered by id, in whatever order the commands finish. */
export class Bridge {
  private readonly child: ChildProcessByStdio<Writable, Readable, null>;
  private readonly waiting = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();
  private next = 1;
  private gone: Error | null = null;
  private readonly exited: Promise<void>;

  private constructor(path: string) {
    // stderr is inherited: the core's warnings and any panic show in the test output.
    this.child = spawn(path, [], {
      env: { ...process.env, CLAUSEBOOK_TODAY: STORY_TODAY },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    this.child.stdin.on('error', () => {
      // The bridge exited; 'exit' below says so to every waiting request.
    });
    createInterface({ input: this.child.stdout }).on('line', (line) => this.answer(line));
    this.exited = new Promise((resolve) => {
      const stop = (why: string) => {
        this.gone ??= new Error(`The IPC bridge (${path}) ${why}.`);
        for (const w of this.waiting.values()) w.reject(this.gone);
        this.waiting.clear();
        resolve();
      };
      this.child.on('error', (e) => stop(`could not start: ${e.message}`));
      this.child.on('exit', (code, signal) => stop(signal ? `was stopped by ${signal}` : `exited with code ${code}`));
    });
  }

  /** Starts the bridge at `path`; throws, saying how to build it, when it is not there. */
  static start(path: string = bridgePath()): Bridge {
    if (!existsSync(path))
      throw new Error(
        `The IPC bridge is not built: ${path} does not exist. Run \`make ui-test\` (it builds the bridge), ` +
          'or build it with `cargo build --example ipc-bridge` and set CLAUSEBOOK_BRIDGE to the binary.',
      );
    return new Bridge(path);
  }

  private answer(line: string): void {
    let reply: { id?: unknown; ok?: unknown; err?: unknown };
    try {
      reply = JSON.parse(line);
    } catch {
      console.error(`[ipc-bridge] not an answer: ${line}`);
      return;
    }
    const waiting = typeof reply.id === 'number' ? this.waiting.get(reply.id) : undefined;
    if (!waiting) {
      // An answer nobody waits for: a malformed request's, which the bridge could not number.
      if ('err' in reply) console.error('[ipc-bridge]', reply.err);
      return;
    }
    this.waiting.delete(reply.id as number);
    waiting.resolve('err' in reply ? { err: reply.err } : { ok: reply.ok });
  }

  /**
   * Sends one request. Resolves to the command's data or error; rejects only
   * when the bridge itself is gone.
   */
  request(cmd: string, args: Record<string, unknown> = {}): Promise<Reply> {
    if (this.gone) return Promise.reject(this.gone);
    const id = this.next++;
    return new Promise<Reply>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.child.stdin.write(`${JSON.stringify({ id, cmd, args })}\n`);
    });
  }

  /** Ends the bridge's input; it answers what is due, closes the register and exits. */
  async close(): Promise<void> {
    if (!this.gone) this.child.stdin.end();
    await this.exited;
  }
}
