/// <reference types="vitest/config" />
import { fileURLToPath } from 'node:url';
import { defineConfig, type Alias } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/**
 * Aliases per mode. Only `vite --mode fixture` swaps the Tauri IPC for the
 * in-memory fake backend under src/test/fixture; every other mode (and so
 * `vite build`, which runs in `production`) resolves the real package.
 */
export function aliasesFor(mode: string): Alias[] {
  if (mode !== 'fixture') return [];
  return [{ find: /^@tauri-apps\/api\/core$/, replacement: here('./src/test/fixture/tauri-core.ts') }];
}

/**
 * The Tauri plugins' JS (dialog, opener) calls `@tauri-apps/api/core` too.
 * In fixture mode they are served as they are, not pre-bundled, so their
 * import goes through the alias to the one live fake backend rather than
 * into a pre-bundled (and stale) copy of it.
 */
export function unbundledFor(mode: string): string[] {
  return mode === 'fixture' ? ['@tauri-apps/plugin-dialog', '@tauri-apps/plugin-opener'] : [];
}

export default defineConfig(({ mode }) => ({
  plugins: [svelte(), svelteTesting()],
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
    // The fixture backend reads the demo dataset from ../assets/demo.
    fs: { allow: mode === 'fixture' ? [here('..')] : [here('.')] },
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
