/**
 * Application state shared across screens: settings, app info, the partner
 * list (for names everywhere), and a data version that screens watch to
 * reload after a change made elsewhere (an undo, a search jump).
 */
import { api } from './api';
import { todayIso } from './dates';
import type { AppInfo, Partner, Settings, SettingsPatch } from './bindings';
import { applyToDocument, locale } from './locale.svelte';

export const app = $state<{
  ready: boolean;
  settings: Settings | null;
  info: AppInfo | null;
  partners: Partner[];
  version: number;
}>({ ready: false, settings: null, info: null, partners: [], version: 0 });

export function applySettings(s: Settings): void {
  app.settings = s;
  locale.lang = s.ui_language;
  locale.dateDisplay = s.date_display;
  applyToDocument(s.ui_language);
}

export async function boot(): Promise<void> {
  askedOn = todayIso();
  const [settings, info] = await Promise.all([api.settings(), api.appInfo()]);
  applySettings(settings);
  app.info = info;
  if (!info.empty) await refreshPartners();
  app.ready = true;
}

export async function refreshPartners(): Promise<void> {
  app.partners = await api.partners();
}

export function partnerById(id: string): Partner | undefined {
  return app.partners.find((p) => p.id === id);
}

/** Saves settings; the language and date display apply at once. */
export async function saveSettings(patch: SettingsPatch): Promise<Settings> {
  const s = await api.updateSettings(patch);
  applySettings(s);
  return s;
}

/** The machine's local day when the core last told us its today. */
let askedOn = todayIso();

/**
 * The officer's today, as the core measures deadlines against it (it may be
 * fixed for tests and screenshots). When the machine's day has moved on since
 * the core was asked (the window was left open overnight), the core is asked
 * again and the local day serves until it answers.
 */
export function today(): string {
  const local = todayIso();
  if (local !== askedOn) {
    askedOn = local;
    api.appInfo().then((info) => (app.info = info), () => {});
    return local;
  }
  return app.info?.today ?? local;
}

/** Tells every screen that data changed. */
export function dataChanged(): void {
  app.version += 1;
}
