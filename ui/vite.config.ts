/// <reference types="vitest/config" />
import type { IncomingMessage } from 'node:http';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Alias, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';
import { Bridge } from './src/test/bridge.js';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/**
 * Aliases per mode. Only `vite --mode fixture` swaps the Tauri IPC for
 * src/test/fixture/tauri-core.ts, which asks the real core through the dev
 * server (see fixturePluginsFor); every other mode (and so `vite build`,
 * which runs in `production`) resolves the real package.
 */
export function aliasesFor(mode: string): Alias[] {
  if (mode !== 'fixture') return [];
  return [{ find: /^@tauri-apps\/api\/core$/, replacement: here('./src/test/fixture/tauri-core.ts') }];
}

/**
 * The Tauri plugins' JS (dialog, opener) calls `@tauri-apps/api/core` too.
 * In fixture mode they are served as they are, not pre-bundled, so their
 * import goes through the alias to the one fixture tauri-core.ts (which
 * answers their save dialog and viewer) rather than into a pre-bundled copy
 * of the real package.
 */
export function unbundledFor(mode: string): string[] {
  return mode === 'fixture' ? ['@tauri-apps/plugin-dialog', '@tauri-apps/plugin-opener'] : [];
}

/** Where fixture mode's tauri-core.ts sends every command. */
export const FIXTURE_INVOKE_PATH = '/__clausebook/invoke';

/**
 * Plugins per mode. Only fixture mode gets its backend: the IPC bridge (the
 * app's own invoke handler over the real core, tests/bridge), started with
 * the dev server and reached at POST {@link FIXTURE_INVOKE_PATH}.
 */
export function fixturePluginsFor(mode: string): Plugin[] {
  return mode === 'fixture' ? [fixtureBackend()] : [];
}

function fixtureBackend(): Plugin {
  let bridge: Bridge | null = null;
  return {
    name: 'clausebook-fixture-backend',
    apply: 'serve',
    configureServer(server) {
      // Started now, so a bridge that is not built stops the server with how to build it.
      bridge = Bridge.start();
      server.httpServer?.once('close', () => void bridge?.close());
      server.middlewares.use(FIXTURE_INVOKE_PATH, (req, res, next) => {
        if (req.method !== 'POST') return next();
        const answer = (status: number, reply: unknown) => {
          res.statusCode = status;
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify(reply));
        };
        readBody(req)
          .then((body) => {
            const { cmd, args } = JSON.parse(body) as { cmd: string; args?: Record<string, unknown> };
            bridge ??= Bridge.start();
            return bridge.request(cmd, args ?? {});
          })
          .then(
            (reply) => answer(200, reply),
            (e: unknown) => {
              // The bridge is gone (or the request was not JSON): the next request starts another.
              if (bridge && !(e instanceof SyntaxError)) bridge = null;
              answer(500, { err: { code: 'ipc', message: e instanceof Error ? e.message : String(e), params: {} } });
            },
          );
      });
    },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export default defineConfig(({ mode }) => ({
  plugins: [svelte(), svelteTesting(), ...fixturePluginsFor(mode)],
  // Relative asset URLs: the bundle is loaded from Tauri's custom protocol.
  base: './',
  clearScreen: false,
  resolve: {
    alias: aliasesFor(mode),
  },
  optimizeDeps: {
    exclude: unbundledFor(mode),
  },
  server: {
    // tauri.conf.json's devUrl; the fixture server keeps clear of it.
    port: mode === 'fixture' ? 5174 : 5173,
    strictPort: mode !== 'fixture',
    host: 'localhost',
    fs: { allow: [here('.')] },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: ['es2022', 'chrome105', 'safari15'],
    // Fonts are bundled as files, never inlined or fetched from elsewhere.
    assetsInlineLimit: 0,
    sourcemap: false,
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts'],
    setupFiles: ['./src/test/setup.ts'],
    restoreMocks: true,
  },
}));
