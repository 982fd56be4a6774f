/**
 * One vocabulary for the window and the PDF: the words the window shows for
 * statuses, kinds, calendars, the clause table's columns and the summary
 * figures are the core's (`VOCABULARY` in the bindings), which the PDF
 * reports print too (the core's report test checks the PDF side). These
 * tests fail if the window says another word, or if i18n.ts grows its own
 * copy of one.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LIMITS, VOCABULARY } from '../lib/bindings';
import { translate, type Key } from '../lib/i18n';
import { tooLong } from '../lib/errors';

/** Each set of the vocabulary under the key prefix the screens use. */
const PREFIX: Record<keyof typeof VOCABULARY, string> = {
  clause_status: 'status',
  agreement_status: 'agreementStatus',
  agreement_kind: 'agreementKind',
  partner_kind: 'partnerKind',
  calendar: 'calendar',
  date_display: 'dateDisplay',
  clause_column: 'clauses.col',
  figure: 'figures',
  sheet_field: 'sheetField',
  derived_column: 'derivedColumn',
  backup_reason: 'backupReason',
  reminder_stage: 'reminderStage',
  snooze_length: 'snooze',
  meeting_kind: 'meetingKind',
  meeting_status: 'meetingStatus',
  side: 'side',
  outcome_kind: 'outcomeKind',
  agenda_reason: 'agendaReason',
  attachment_owner: 'attachmentOwner',
  clause_field: 'history.field',
  exchange_scope: 'exchangeScope',
  conflict_kind: 'conflictKind',
  conflict_choice: 'conflictChoice',
  exchange_direction: 'exchangeDirection',
};

describe('the window speaks the core’s vocabulary', () => {
  it('shows every value with the core’s word, in English and Persian', () => {
    let checked = 0;
    for (const [set, prefix] of Object.entries(PREFIX) as [keyof typeof VOCABULARY, string][]) {
      for (const term of VOCABULARY[set]) {
        const key = `${prefix}.${term.value}` as Key;
        expect(translate('en', key)).toBe(term.en);
        expect(translate('fa', key)).toBe(term.fa);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(30);
  });

  it('keeps no entry of its own for them in i18n.ts', () => {
    const source = readFileSync(join(__dirname, '..', 'lib', 'i18n.ts'), 'utf8');
    for (const [set, prefix] of Object.entries(PREFIX) as [keyof typeof VOCABULARY, string][]) {
      for (const term of VOCABULARY[set]) {
        const key = `${prefix}.${term.value}`;
        expect(source.includes(`'${key}':`), `i18n.ts defines ${key} itself`).toBe(false);
      }
    }
  });

  it('checks text lengths against the core’s limits', () => {
    expect(tooLong('x'.repeat(LIMITS.short_text_max_chars), 'short')).toBe(false);
    expect(tooLong('x'.repeat(LIMITS.short_text_max_chars + 1), 'short')).toBe(true);
    // Bytes, not characters: a Persian letter is two bytes in UTF-8.
    expect(tooLong('ب'.repeat(LIMITS.long_text_max_bytes / 2), 'long')).toBe(false);
    expect(tooLong('ب'.repeat(LIMITS.long_text_max_bytes / 2 + 1), 'long')).toBe(true);
  });
});
