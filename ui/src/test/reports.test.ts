/** What the export dialogs send, and the file names they suggest: pure functions. */
import { describe, expect, it } from 'vitest';
import {
  briefRequest,
  briefSpec,
  folderOf,
  inFolder,
  isEmptyBrief,
  reportFileName,
  reportOptions,
  safeFileName,
  withPdfExtension,
  type BriefForm,
} from '../lib/reports';

const emptyBrief: BriefForm = { agreements: [], clauses: [], partner: null, overdue: false, dueBefore: null, progressSince: null, title: '' };

describe('report options', () => {
  it('trims the letterhead and sends empty lines as null', () => {
    expect(reportOptions({ lang: 'fa', pdfA: true, reference: '  ۱۴۰۵/۲۱۲  ', attachments: ' ' })).toEqual({
      lang: 'fa',
      pdf_a: true,
      reference: '۱۴۰۵/۲۱۲',
      attachments: null,
    });
  });
});

describe('meeting brief request', () => {
  it('is a brief ReportRequest with the spec flattened in', () => {
    expect(
      briefRequest({ agreements: ['a1', 'a2'], clauses: [], partner: 'p1', overdue: true, dueBefore: '2027-01-05', progressSince: '2026-10-01', title: '  Joint committee  ' }),
    ).toEqual({
      kind: 'brief',
      agreements: ['a1', 'a2'],
      clauses: [],
      partner: 'p1',
      due_before: '2027-01-05',
      progress_since: '2026-10-01',
      overdue: true,
      title: 'Joint committee',
    });
  });

  it('sends an empty title and no partner as null', () => {
    const spec = briefSpec({ ...emptyBrief, overdue: true, partner: '' });
    expect(spec.title).toBeNull();
    expect(spec.partner).toBeNull();
  });

  it('is empty only when it covers nothing at all', () => {
    expect(isEmptyBrief(briefSpec(emptyBrief))).toBe(true);
    // A partner or a title alone covers nothing.
    expect(isEmptyBrief(briefSpec({ ...emptyBrief, partner: 'p1', title: 'Meeting' }))).toBe(true);
    expect(isEmptyBrief(briefSpec({ ...emptyBrief, agreements: ['a1'] }))).toBe(false);
    expect(isEmptyBrief(briefSpec({ ...emptyBrief, overdue: true }))).toBe(false);
    expect(isEmptyBrief(briefSpec({ ...emptyBrief, dueBefore: '2027-01-05' }))).toBe(false);
    expect(isEmptyBrief(briefSpec({ ...emptyBrief, progressSince: '2026-10-01' }))).toBe(false);
    expect(isEmptyBrief({ ...briefSpec(emptyBrief), clauses: ['c1'] })).toBe(false);
  });
});

describe('file names', () => {
  it('names the report after the title, the word "status" and the day', () => {
    expect(reportFileName('Action plan 1404', '2026-11-22', 'en')).toBe('Action plan 1404 – status 2026-11-22.pdf');
  });

  it('uses the Solar Hijri day and Persian word in a Persian report of a Persian title', () => {
    expect(reportFileName('برنامه همکاری ۱۴۰۳', '2026-11-22', 'fa')).toBe('برنامه همکاری ۱۴۰۳ – وضعیت 1405-09-01.pdf');
  });

  it('leaves the word out when the title runs the other way than the report', () => {
    expect(reportFileName('Action plan 1404', '2026-11-22', 'fa')).toBe('Action plan 1404 – 1405-09-01.pdf');
    expect(reportFileName('برنامه همکاری', '2026-11-22', 'en')).toBe('برنامه همکاری – 2026-11-22.pdf');
  });

  it('names a brief after its title and day only', () => {
    expect(reportFileName('Joint committee', '2026-11-22', 'en', 'none')).toBe('Joint committee – 2026-11-22.pdf');
  });

  it('removes what file systems refuse and what could disguise the extension', () => {
    expect(safeFileName('Plan 1404/03: "phase 2" <draft>?*|')).toBe('Plan 1404-03 phase 2 draft');
    expect(safeFileName('a\\b\u0000c\u202Efdp.exe')).toBe('a-b c fdp.exe');
    expect(safeFileName('  ..hidden.  ')).toBe('hidden');
    // Persian's zero-width non-joiner stays.
    expect(safeFileName('تفاهم‌نامه')).toBe('تفاهم‌نامه');
  });

  it('shortens a long title at a word, not on "and the"', () => {
    const title =
      'Action Plan for Cooperation between the State Welfare Organization of Iran and the Ministry of Health and Social Protection of the Population of the Republic of Tajikistan';
    const name = safeFileName(title);
    expect([...name].length).toBeLessThanOrEqual(90);
    expect(name).toBe('Action Plan for Cooperation between the State Welfare Organization of Iran');
  });

  it('adds .pdf when the save dialog returned a path without it', () => {
    expect(withPdfExtension('/home/officer/brief')).toBe('/home/officer/brief.pdf');
    expect(withPdfExtension('/home/officer/brief.PDF')).toBe('/home/officer/brief.PDF');
  });

  it('offers the last folder again, with its own separator', () => {
    expect(folderOf('/home/officer/Documents/a.pdf')).toBe('/home/officer/Documents');
    expect(folderOf('C:\\Users\\officer\\a.pdf')).toBe('C:\\Users\\officer');
    expect(folderOf('a.pdf')).toBeNull();
    expect(inFolder('/home/officer/Documents', 'b.pdf')).toBe('/home/officer/Documents/b.pdf');
    expect(inFolder('C:\\Users\\officer', 'b.pdf')).toBe('C:\\Users\\officer\\b.pdf');
    expect(inFolder(null, 'b.pdf')).toBe('b.pdf');
  });
});
