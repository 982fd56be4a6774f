/**
 * The window's shared state as a fresh start has it: nothing loaded,
 * English with both calendars, no dialog open, no toast, no export running.
 * Every screen test puts it back before each test.
 */
import { app } from '../lib/app.svelte';
import { reportExport } from '../lib/export.svelte';
import { locale } from '../lib/locale.svelte';
import { toasts } from '../lib/toasts.svelte';
import { ui } from '../lib/ui.svelte';

export function resetWindowState(): void {
  app.ready = false;
  app.settings = null;
  app.info = null;
  app.partners = [];
  locale.lang = 'en';
  locale.dateDisplay = 'both';
  ui.search = false;
  ui.help = false;
  ui.partnerForm = null;
  ui.agreementForm = null;
  ui.brief = null;
  ui.importWizard = null;
  toasts.list = [];
  reportExport.busy = false;
  reportExport.phase = null;
}
