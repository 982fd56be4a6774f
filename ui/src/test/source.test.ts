/**
 * Guards on the source itself: no {@html}, logical CSS properties only (the
 * layout mirrors in Persian), nothing remote, and no test code (the fixture
 * stand-in for the Tauri IPC, the bridge to the core) reachable from app code
 * or a production build.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aliasesFor, fixturePluginsFor, unbundledFor } from '../../vite.config';

const SRC = join(__dirname, '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

const appFiles = files(SRC).filter((f) => !relative(SRC, f).startsWith('test') && /\.(svelte|ts|css)$/.test(f));

describe('source guards', () => {
  it('never renders HTML from strings', () => {
    for (const f of appFiles) expect(readFileSync(f, 'utf8'), f).not.toMatch(/\{@html|innerHTML|outerHTML|insertAdjacentHTML/);
  });

  it('uses logical properties only: no left/right in CSS', () => {
    const physical =
      /(^|[\s;{])(margin|padding|border)-(left|right)\b|(^|[\s;{])(left|right)\s*:|text-align:\s*(left|right)|float:\s*(left|right)|border-(top|bottom)-(left|right)-radius/m;
    for (const f of appFiles.filter((x) => /\.(svelte|css)$/.test(x))) {
      const text = readFileSync(f, 'utf8');
      const css = f.endsWith('.css') ? text : (text.match(/<style[^>]*>([\s\S]*?)<\/style>/)?.[1] ?? '');
      expect(css, f).not.toMatch(physical);
    }
  });

  it('loads nothing from the network', () => {
    for (const f of appFiles) {
      const text = readFileSync(f, 'utf8');
      expect(text, f).not.toMatch(/url\(\s*['"]?https?:/);
      expect(text, f).not.toMatch(/\bfetch\(/);
      expect(text, f).not.toMatch(/@import\s+['"]?https?:/);
    }
  });

  it('keeps app code away from test fixtures', () => {
    for (const f of appFiles) expect(readFileSync(f, 'utf8'), f).not.toMatch(/from\s+['"][^'"]*\/test\//);
  });

  it('swaps the Tauri IPC for the fixture stand-in only in fixture mode', () => {
    expect(aliasesFor('production')).toEqual([]);
    expect(aliasesFor('development')).toEqual([]);
    expect(aliasesFor('test')).toEqual([]);
    const fixture = aliasesFor('fixture');
    expect(fixture).toHaveLength(1);
    expect(String(fixture[0].replacement)).toMatch(/src[\\/]test[\\/]fixture[\\/]tauri-core\.ts$/);
  });

  it('leaves the file plugins un-pre-bundled only in fixture mode, so their IPC reaches the one stand-in', () => {
    expect(unbundledFor('production')).toEqual([]);
    expect(unbundledFor('development')).toEqual([]);
    expect(unbundledFor('fixture')).toEqual(['@tauri-apps/plugin-dialog', '@tauri-apps/plugin-opener']);
  });

  it('serves the core through the bridge only in fixture mode', () => {
    expect(fixturePluginsFor('production')).toEqual([]);
    expect(fixturePluginsFor('development')).toEqual([]);
    expect(fixturePluginsFor('test')).toEqual([]);
    expect(fixturePluginsFor('fixture').map((p) => p.name)).toEqual(['clausebook-fixture-backend']);
  });

  it('reaches the file plugins through lib/files.ts only (what tests mock)', () => {
    const users = appFiles.filter((f) => /@tauri-apps\/plugin-/.test(readFileSync(f, 'utf8'))).map((f) => relative(SRC, f));
    expect(users).toEqual([join('lib', 'files.ts')]);
  });
});
