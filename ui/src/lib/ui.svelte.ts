/** Which app-wide dialogs are open. Screens open them; App renders them. */
import type { Agreement, BriefSpec, Partner } from './bindings';

export const ui = $state<{
  search: boolean;
  help: boolean;
  partnerForm: { partner: Partner | null } | null;
  agreementForm: { agreement: Agreement | null; partnerId: string | null } | null;
  /** The meeting-brief builder, optionally for one partner, or started from a planned meeting's brief. */
  brief: { partnerId: string | null; spec?: BriefSpec } | null;
  /** The import wizard; `agreementId`: started from an agreement, which it imports into. */
  importWizard: { agreementId: string | null } | null;
}>({ search: false, help: false, partnerForm: null, agreementForm: null, brief: null, importWizard: null });

export function openPartnerForm(partner: Partner | null = null): void {
  ui.partnerForm = { partner };
}

export function openBrief(partnerId: string | null = null, spec?: BriefSpec): void {
  ui.brief = { partnerId, spec };
}

export function openImport(agreementId: string | null = null): void {
  ui.importWizard = { agreementId };
}

export function openAgreementForm(agreement: Agreement | null = null, partnerId: string | null = null): void {
  ui.agreementForm = { agreement, partnerId };
}

/** Whether a key press happened while typing, where letters must not act as shortcuts. */
export function isTyping(e: KeyboardEvent): boolean {
  const el = e.target as HTMLElement | null;
  if (!el || !(el instanceof HTMLElement)) return false;
  const tag = el.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || el.isContentEditable;
}

export function anyDialogOpen(): boolean {
  return ui.search || ui.help || ui.partnerForm !== null || ui.agreementForm !== null || ui.brief !== null || ui.importWizard !== null || document.querySelector('[aria-modal="true"]') !== null;
}
