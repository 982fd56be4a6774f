/**
 * Settings → Backups against the real core (through the IPC bridge, see
 * core.ts), which really writes each backup beside the bridge's register,
 * restores it and copies it to a second folder: back up now, restore a
 * listed backup (a deleted agreement comes back, and the screen shows the
 * register as restored), restore a file from elsewhere, and the second
 * folder, refused when relative, in the reader's language.
 */
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';

const h = vi.hoisted(() => ({
  /** What the open dialog answers for a backup file: a path, or null (cancelled). */
  file: null as string | null,
  /** Where the file dialog was asked to start. */
  fileFolder: undefined as string | null | undefined,
  /** What the folder dialog answers: a path, or null (cancelled). */
  folder: null as string | null,
}));
vi.mock('@tauri-apps/api/core', () => import('./core'));
vi.mock('../lib/files', () => ({
  chooseBackupFile: async (_title: string, _filter: string, folder?: string | null) => {
    h.fileFolder = folder;
    return h.file;
  },
  chooseFolder: async () => h.folder,
  chooseSheetFile: async () => null,
  chooseExportPath: async () => null,
  choosePdfPath: async () => null,
  openInViewer: async () => {},
}));

import App from '../App.svelte';
import { app } from '../lib/app.svelte';
import { BACKUP_FOLDER_LOCK, type Agreement, type BackupManifest, type BackupOverview, type Partner, type Preview, type Settings } from '../lib/bindings';
import { localMoment } from '../lib/dates';
import { locale } from '../lib/locale.svelte';
import { toasts } from '../lib/toasts.svelte';
import { ui } from '../lib/ui.svelte';
import { ask, failOnce, idle, reset as resetCore } from './core';
import { resetWindowState } from './window';

// Backups and restores of the demo register in a debug build of the core.
vi.setConfig({ testTimeout: 20_000 });
const SLOW = { timeout: 15_000 };

/** A folder of the test's own (a "USB stick"), removed after it. */
let folder = '';

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'clausebook-backups-'));
  resetWindowState();
  h.file = null;
  h.fileFolder = undefined;
  h.folder = null;
  history.replaceState(null, '', '/#/settings');
});
afterEach(async () => {
  document.documentElement.lang = 'en';
  document.documentElement.dir = 'ltr';
  await idle();
  rmSync(folder, { recursive: true, force: true });
});

const overview = () => ask<BackupOverview>('backups');
const agreements = () => ask<Agreement[]>('agreements', { partner: null });
const updateSettings = (patch: Partial<Settings>) => ask('update_settings', { patch });

/** The Backups card, once the core has answered what is in the folder. */
async function backupsCard(name = 'Backups'): Promise<HTMLElement> {
  const heading = await screen.findByRole('heading', { level: 2, name });
  const card = heading.closest('section')!;
  await waitFor(() => expect(card.querySelector('code')?.textContent).toBeTruthy());
  return card;
}

/** The list's rows (without the head). */
const rows = (card: HTMLElement) => [...card.querySelectorAll<HTMLElement>('tbody tr')];
/** A row's cells as text, whitespace normalised. */
const cells = (row: HTMLElement) => [...row.querySelectorAll('td')].map((td) => td.textContent!.replace(/\s+/g, ' ').trim());

/** A sheet read as it is: the first sheet, its header row guessed, its encoding detected. */
const NO_CHOICE = { sheet: null, header_row: null, encoding: null };

/**
 * Holds the backup folder `backups` as another backup would (here flock(1)),
 * once the lock is taken; resolves to what frees it.
 */
async function holdFolder(backups: string): Promise<() => void> {
  const lockFile = join(backups, BACKUP_FOLDER_LOCK);
  const holder = spawn('flock', [lockFile, 'sleep', '120'], { stdio: 'ignore', detached: true });
  holder.unref();
  const release = () => {
    try {
      process.kill(-holder.pid!);
    } catch {
      // already gone
    }
  };
  try {
    await waitFor(() => expect(() => execFileSync('flock', ['-n', lockFile, 'true'])).toThrow(), SLOW);
  } catch (e) {
    release();
    throw e;
  }
  return release;
}

/** Imports the CSV text `rows` into a new agreement "Plan" of the first partner, through the core. */
async function importPlan(rows: string): Promise<void> {
  const csv = join(folder, 'plan.csv');
  writeFileSync(csv, rows);
  const [partner] = await ask<Partner[]>('partners');
  const preview = await ask<Preview>('import_preview', { path: csv, choice: NO_CHOICE });
  const into = { into: 'new', partner_id: partner.id, title: 'Plan', kind: 'action_plan', signed_on: null, calendar: 'gregorian' };
  await ask('import_sheet', { request: { path: csv, choice: NO_CHOICE, mapping: preview.mapping, into, drop_unreadable: false } });
}

describe('Settings → Backups', () => {
  it('says a backup of the register as it was before an import is under way, then that it failed; the import stays', async () => {
    await resetCore({ demo: true });
    const backups = (await overview()).folder;
    mkdirSync(backups, { recursive: true });
    // Another backup holds the folder (here flock(1)): the import's own waits.
    const release = await holdFolder(backups);
    let card: HTMLElement;
    try {
      await importPlan('No.,Action\n1,Exchange of experts\n2,Joint survey\n');
      expect((await agreements()).map((a) => a.title)).toContain('Plan');

      render(App);
      card = await backupsCard();
      expect(await within(card).findByText(/^Backing up the register as it was before the import\./)).toBeTruthy();
      expect(within(card).getByText('No backups yet.')).toBeTruthy();
      // The folder goes while the backup waits: the backup fails.
      rmSync(backups, { recursive: true, force: true });
      writeFileSync(backups, 'not a folder');
    } finally {
      release();
    }
    const failed = await within(card).findByText(/^The backup of the register as it was before the import of .+ could not be made\./, undefined, SLOW);
    expect(failed.closest('[role="alert"]')).toBeTruthy();
    await waitFor(() => expect(card.querySelector('.under-way')).toBeNull(), SLOW);
    const [f] = (await overview()).failed;
    expect(f.reason).toBe('before_import');
    expect(f.code).toBe('backup_write');
    // The import stays.
    expect((await agreements()).map((a) => a.title)).toContain('Plan');
    rmSync(backups, { force: true });
  });

  it('keeps looking for a backup under way after one look fails, and drops the error once the list is read', async () => {
    await resetCore({ demo: true });
    const backups = (await overview()).folder;
    mkdirSync(backups, { recursive: true });
    const release = await holdFolder(backups);
    let card: HTMLElement;
    try {
      await importPlan('No.,Action\n1,Exchange of experts\n');

      render(App);
      card = await backupsCard();
      expect(await within(card).findByText(/^Backing up the register as it was before the import\./)).toBeTruthy();
      // The next look fails, with an error of the core's own.
      const missing = join(folder, 'missing.csv');
      failOnce.backups = await ask('import_preview', { path: missing, choice: NO_CHOICE }).then(
        () => expect.unreachable('a missing file is refused'),
        (e: unknown) => e,
      );
      const shown = await within(card).findByText(/missing\.csv/, undefined, SLOW);
      expect(shown.closest('[role="alert"]')).toBeTruthy();
      expect(card.querySelector('.under-way')).toBeTruthy();
    } finally {
      release();
    }
    // The screen looks again: the backup joins the list, and the error goes.
    await waitFor(() => expect(rows(card)).toHaveLength(1), SLOW);
    expect(card.querySelector('.under-way')).toBeNull();
    expect(within(card).queryByText(/missing\.csv/)).toBeNull();
    expect((await overview()).backups.map((b) => b.manifest.reason)).toEqual(['before_import']);
  });

  it('backs up now: a row with the right counts, reason, time and size', async () => {
    await resetCore({ demo: true });
    render(App);
    const card = await backupsCard();
    // Loading the demo into an empty register made no backup: nothing was there to lose.
    expect(within(card).getByText('No backups yet.')).toBeTruthy();
    const folderShown = card.querySelector('code')!;
    expect(folderShown.getAttribute('dir')).toBe('ltr');
    expect(folderShown.textContent).toBe((await overview()).folder);

    await fireEvent.click(within(card).getByRole('button', { name: /Back up now/ }));
    expect(await screen.findByText('Backup made', undefined, SLOW)).toBeTruthy();
    await waitFor(() => expect(rows(card)).toHaveLength(1));

    const [made] = (await overview()).backups.map((b) => b.manifest);
    // What the register holds, counted independently of the backup's manifest.
    const list = await agreements();
    expect(list).toHaveLength(6);
    expect(made.counts.agreements).toBe(6);
    expect(made.reason).toBe('manual');
    const at = localMoment(made.created_at)!;
    const [when, why, holds, size] = cells(rows(card)[0]);
    expect(when).toContain(at.time);
    expect(rows(card)[0].querySelector('time')?.getAttribute('datetime')).toBe(at.day);
    expect(why).toBe('Made by hand');
    expect(holds).toBe(`6 agreements · ${made.counts.clauses} clauses · ${made.counts.notes} notes`);
    expect(made.counts.clauses).toBeGreaterThan(1);
    expect(made.counts.notes).toBeGreaterThan(1);
    expect(size).toMatch(/^\d+ KB$/);
    expect(existsSync(join((await overview()).folder, made.file))).toBe(true);
  });

  it('restores a listed backup: a deleted agreement comes back, and the screen shows the register restored', async () => {
    await resetCore({ demo: true });
    await updateSettings({ officer_name: 'Maryam Tavakoli' });
    const made = await ask<{ manifest: BackupManifest }>('backup_now');
    const [gone] = await agreements();
    await ask('delete_agreement', { id: gone.id });
    await updateSettings({ officer_name: 'Someone Else' });
    expect(await agreements()).toHaveLength(5);

    render(App);
    const card = await backupsCard();
    expect((screen.getByLabelText(/Your name/) as HTMLInputElement).value).toBe('Someone Else');
    await waitFor(() => expect(rows(card)).toHaveLength(1));
    const at = localMoment(made.manifest.created_at)!;
    const restore = within(rows(card)[0]).getByRole('button', { name: /^Restore the backup of / });
    expect(restore.textContent).toBe('Restore…');
    await fireEvent.click(restore);

    const dialog = await screen.findByRole('alertdialog', { name: 'Restore this backup?' });
    const body = within(dialog).getByText(/^The register will be replaced by the backup of /).textContent!;
    // The backup's day in both calendars (the display setting), and its local time.
    expect(body).toMatch(new RegExp(`backup of \\d+ \\w+ \\d{4} \\(\\d+ \\w+ \\d{4}\\), ${at.time}\\.`));
    expect(body).toContain('The register as it is now is backed up first');
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Restore' }));

    const toast = (await screen.findByText('Backup restored', undefined, SLOW)).closest('li')!;
    expect(toast.textContent).toContain('The register as it was is kept in');
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    const back = await agreements();
    expect(back).toHaveLength(6);
    expect(back.map((a) => a.id)).toContain(gone.id);
    // The screen shows the register as restored: the name is the backup's.
    await waitFor(() => expect((screen.getByLabelText(/Your name/) as HTMLInputElement).value).toBe('Maryam Tavakoli'));
    expect(app.settings?.officer_name).toBe('Maryam Tavakoli');
    // The register as it was is kept as the newest backup, listed first.
    await waitFor(() => expect(rows(card)).toHaveLength(2));
    expect(cells(rows(card)[0])[1]).toBe('Before a restore');
    expect(cells(rows(card)[0])[2]).toMatch(/^5 agreements · /);
    expect(cells(rows(card)[1])[1]).toBe('Made by hand');
  });

  it('restores a backup from a file elsewhere, and refuses a file that is no backup', async () => {
    await resetCore({ demo: true });
    const made = await ask<{ path: string }>('backup_now');
    const onStick = join(folder, 'clausebook-backup.sqlite3');
    copyFileSync(made.path, onStick);
    const [gone] = await agreements();
    await ask('delete_agreement', { id: gone.id });

    render(App);
    const card = await backupsCard();
    const notABackup = join(folder, 'notes.sqlite3');
    writeFileSync(notABackup, 'not a database at all, just text');
    h.file = notABackup;
    await fireEvent.click(within(card).getByRole('button', { name: /Restore from a file…/ }));
    // The dialog starts in the backup folder.
    expect(h.fileFolder).toBe((await overview()).folder);
    let dialog = await screen.findByRole('alertdialog', { name: 'Restore this backup?' });
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Restore' }));
    expect((await within(card).findByRole('alert', undefined, SLOW)).textContent).toContain('is not a Clausebook register or backup');
    expect(await agreements()).toHaveLength(5);

    h.file = onStick;
    await fireEvent.click(within(card).getByRole('button', { name: /Restore from a file…/ }));
    dialog = await screen.findByRole('alertdialog', { name: 'Restore this backup?' });
    expect(within(dialog).getByText(/^The register will be replaced by the backup in /).textContent).toContain(onStick);
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Restore' }));
    expect(await screen.findByText('Backup restored', undefined, SLOW)).toBeTruthy();
    expect((await agreements()).map((a) => a.id)).toContain(gone.id);
    await waitFor(() => expect(within(card).queryByRole('alert')).toBeNull());
  });

  it('copies each backup to a second folder, refuses a relative one in Persian, and stops copying', async () => {
    await resetCore({ demo: true });
    await updateSettings({ ui_language: 'fa' });
    render(App);
    const card = await backupsCard('نسخه‌های پشتیبان');
    expect(within(card).getByText(/پوشه دومی برگزیده نشده است/)).toBeTruthy();

    // A relative folder: the core refuses it, and the reader sees why in Persian.
    h.folder = 'usb/backups';
    await fireEvent.click(within(card).getByRole('button', { name: /انتخاب پوشه…/ }));
    const refused = await within(card).findByRole('alert', undefined, SLOW);
    expect(refused.textContent?.trim()).toBe('نشانی پوشه \u2068usb/backups\u2069 کامل نیست: پوشه را با «انتخاب پوشه…» برگزینید.');
    expect((await overview()).mirror).toBeNull();

    // A folder on the "stick": set, shown as connected, and each backup copied there.
    h.folder = folder;
    await fireEvent.click(within(card).getByRole('button', { name: /انتخاب پوشه…/ }));
    await waitFor(() => expect(within(card).queryByRole('alert')).toBeNull());
    await within(card).findByText(folder);
    expect(within(card).getByText(/^در دسترس است/)).toBeTruthy();
    expect((await overview()).mirror).toBe(folder);
    await fireEvent.click(within(card).getByRole('button', { name: /پشتیبان‌گیری اکنون/ }));
    const toast = (await screen.findByText('نسخه پشتیبان گرفته شد', undefined, SLOW)).closest('li')!;
    const [made] = (await overview()).backups.map((b) => b.manifest);
    expect(toast.textContent).toContain(join(folder, made.file));
    expect(existsSync(join(folder, made.file))).toBe(true);
    // Persian words and digits in the list: the reason from the core's vocabulary, sizes in Persian.
    await waitFor(() => expect(rows(card)).toHaveLength(1));
    const [, why, holds, size] = cells(rows(card)[0]);
    expect(why).toBe('دستی');
    expect(holds).toMatch(/^۶ سند، [۰-۹]+ بند، [۰-۹]+ یادداشت$/);
    expect(size).toMatch(/^[۰-۹٬]+ کیلوبایت$/);

    await fireEvent.click(within(card).getByRole('button', { name: 'توقف رونوشت‌برداری' }));
    await within(card).findByText(/پوشه دومی برگزیده نشده است/);
    expect((await overview()).mirror).toBeNull();
  });
});
