// End-to-end test of Clausebook: the real app binary, started by tauri-driver
// (WebDriver → WebKitWebDriver → the app) under Xvfb by run.sh, on a fresh,
// empty register (CLAUSEBOOK_DB). One officer's day, step by step, each step
// checking what the officer would see; screenshots go to CLAUSEBOOK_E2E_SHOTS.
//
// Run it with:  CLAUSEBOOK_E2E_NO_BUILD=1 bash tests/e2e/run.sh
//
// Steps run in order and share one register. When a step fails, the later
// steps are skipped (they would only fail for the same reason), a screenshot
// of the failure is saved as fail-<step>.png, and the session is closed.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { remote } from 'webdriverio';

const PORT = Number(process.env.CLAUSEBOOK_E2E_PORT);
const APP = process.env.CLAUSEBOOK_E2E_APP;
const SHOTS = process.env.CLAUSEBOOK_E2E_SHOTS;
const DB = process.env.CLAUSEBOOK_DB;
/** The repository's root; the shared reference data lies beside it. */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
for (const [name, value] of Object.entries({ CLAUSEBOOK_E2E_PORT: PORT, CLAUSEBOOK_E2E_APP: APP, CLAUSEBOOK_E2E_SHOTS: SHOTS, CLAUSEBOOK_DB: DB })) {
  if (!value) throw new Error(`${name} is not set: run the suite through tests/e2e/run.sh`);
}

/** How long to wait for the app: a debug build under Xvfb can be slow. */
const WAIT = 20_000;
const STEP_TIMEOUT = 180_000;

// The data an officer records.
const OFFICER = 'Maryam Rahimi';
const PARTNER = { name: 'Tajikistan', fa: 'تاجیکستان', local: 'Тоҷикистон', lang: 'tg', langName: 'Tajik' };
const AGREEMENT = 'Action plan on vocational rehabilitation 1404';
const SIGNED_TYPED = '1404/02/07'; // = 27 April 2025
const CLAUSE1 = {
  text: 'Train 40 vocational rehabilitation instructors of the partner in Tehran.',
  ourLead: 'State Welfare Organization',
  partnerLead: 'Ministry of Health and Social Protection of Population',
  deadline: '1404/03/15', // = 5 June 2025: long past
};
const CLAUSE2 = {
  text: 'Exchange curricula and standards for sheltered workshops.',
  ourLead: 'Technical and Vocational Training Organization',
  partnerLead: 'Ministry of Labour, Migration and Employment',
  deadline: '3 months', // after signing: 7 Mordad 1404 = 29 July 2025
};
const NOTE = 'Training held in Tehran; certificates issued to 40 instructors.';
const NOTE_WORD = 'certificates';
const XSS = '<img src=x onerror=alert(1)> <script>alert(1)</script>';

let browser = null;
/** Set once a step fails: the steps after it are skipped. */
let broken = false;
/** Ids learnt on the way. */
const ids = { partner: null, agreement: null, clause1: null, clause2: null, clause3: null };

// ---------------------------------------------------------------- helpers

async function startApp() {
  browser = await remote({
    hostname: '127.0.0.1',
    port: PORT,
    capabilities: { 'tauri:options': { application: APP } },
    logLevel: 'warn',
    connectionRetryTimeout: 60_000,
  });
  await browser.setTimeout({ implicit: 0 });
}

async function endApp() {
  if (!browser) return;
  const b = browser;
  browser = null;
  await b.deleteSession().catch((e) => console.error('deleteSession failed:', e.message));
}

/** Saves a screenshot once the last change is painted (WebKit can hand back the previous frame). */
async function shot(name) {
  await browser.execute(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => done()))));
  await browser.pause(200);
  await browser.saveScreenshot(path.join(SHOTS, name));
}

/** An XPath string literal for any text. */
function lit(s) {
  if (!s.includes('"')) return `"${s}"`;
  if (!s.includes("'")) return `'${s}'`;
  return `concat(${s.split('"').map((p) => `"${p}"`).join(`, '"', `)})`;
}

/** The first element matching an XPath, once displayed. */
async function shown(selector, timeout = WAIT) {
  const el = await browser.$(selector);
  await el.waitForDisplayed({ timeout, timeoutMsg: `not shown after ${timeout} ms: ${selector}` });
  return el;
}

/** A button whose visible text, or the title inside it, is `text` (whitespace normalised). */
const button = (text, scope = '') =>
  shown(`${scope}//button[normalize-space(.)=${lit(text)} or .//span[normalize-space(.)=${lit(text)}]]`);
/** A link whose visible text is `text`. */
const link = (text, scope = '') => shown(`${scope}//a[normalize-space(.)=${lit(text)}]`);

/** The form control of the <label> whose own text is `text` (without "optional"), inside `scope` (CSS). */
async function field(text, scope = 'body') {
  let id = null;
  await browser.waitUntil(
    async () => {
      id = await browser.execute(
        (text, scope) => {
          const root = document.querySelector(scope);
          if (!root) return null;
          const norm = (s) => s.replace(/\s+/g, ' ').trim();
          for (const l of root.querySelectorAll('label[for]')) {
            const own = norm([...l.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join(' '));
            if (own === text) return l.htmlFor;
          }
          return null;
        },
        text,
        scope,
      );
      return id !== null;
    },
    { timeout: WAIT, timeoutMsg: `no field labelled “${text}” in ${scope}` },
  );
  return shown(`[id="${id}"]`);
}

/** Types into a text field, the way a user does, and checks it took. */
async function type(el, text) {
  await el.click();
  await el.clearValue();
  await el.addValue(text);
  assert.equal(await el.getValue(), text, 'the field holds what was typed');
}

/** Picks an option of a <select> by its visible text and checks it took. */
async function choose(select, text) {
  await select.selectByVisibleText(text);
  await browser.waitUntil(
    async () => (await browser.execute((el) => el.selectedOptions[0]?.textContent.trim(), select)) === text,
    { timeout: WAIT, timeoutMsg: `select did not change to “${text}”` },
  );
}

/** An element's text as rendered (innerText), whitespace normalised. */
const textOf = (el) => browser.execute((el) => el.innerText.replace(/\s+/g, ' ').trim(), el);
/** An element's text content (as stored, before CSS), whitespace normalised. */
const contentOf = (el) => browser.execute((el) => el.textContent.replace(/\s+/g, ' ').trim(), el);

/** Waits until the element at `selector` exists and its text contains `part`. */
async function waitText(selector, part, timeout = WAIT) {
  let last = '(no such element)';
  try {
    await browser.waitUntil(
      async () => {
        const el = await browser.$(selector);
        if (!(await el.isExisting())) return false;
        last = await textOf(el);
        return last.includes(part);
      },
      { timeout },
    );
  } catch {
    throw new Error(`“${part}” not in ${selector}; it says “${last}”`);
  }
}

const hash = () => browser.execute(() => location.hash);

/**
 * The app's own words in Latin letters now on screen: visible text nodes
 * and labels outside user text (which always carries dir="auto"). Product
 * and format names (Clausebook, PDF) and the ISO input example are allowed.
 * Labels of elements inside user text are checked too (a row's menu button).
 */
async function englishOnScreen() {
  return browser.execute(() => {
    const allowed = /Clausebook|PDF\/A[-\u2011]\d[a-z]|PDF\/A|PDF|\d{4}-\d{2}-\d{2}/g;
    const latin = (s) => /[A-Za-z]/.test(s.replace(allowed, ''));
    // User text carries dir="auto"; a language's own name carries its lang
    // (the switch to English); key caps are printed in Latin on Persian keyboards.
    const userText = (el) =>
      el.closest('[dir="auto"], input, textarea, code, kbd, .toasts') || el.closest('[lang]')?.getAttribute('lang') !== 'fa';
    const visible = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
    const found = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      const text = n.textContent.trim();
      if (!text || !el || el.closest('script, style') || userText(el) || !visible(el)) continue;
      if (latin(text)) found.push(`${el.tagName.toLowerCase()}.${el.className}: ${text}`);
    }
    for (const el of document.querySelectorAll('[aria-label], [title], [placeholder]')) {
      if (!visible(el) || (el.closest('[dir="auto"]') && !el.matches('[dir="auto"]'))) continue;
      for (const attr of ['aria-label', 'title', 'placeholder']) {
        const v = el.getAttribute(attr);
        if (v && latin(v) && !el.matches('[dir="auto"]')) found.push(`${el.tagName.toLowerCase()}[${attr}]: ${v}`);
      }
    }
    return found;
  });
}

/** Closes the toasts so screenshots show the screen itself. */
async function clearToasts() {
  await browser.execute(() => document.querySelectorAll('.toast button.x').forEach((b) => b.click()));
  await browser.waitUntil(async () => (await browser.$$('.toast')).length === 0, { timeout: WAIT, timeoutMsg: 'toasts stayed' });
}

/** Waits for a toast saying `text`. */
const toast = (text) => shown(`//li[contains(@class,"toast")]//p[normalize-space(.)=${lit(text)}]`);

const dialog = (title) => shown(`//*[@role="dialog" and @aria-modal="true"][.//h2[normalize-space(.)=${lit(title)}]]`);
const noDialog = () =>
  browser.$('[aria-modal="true"]').waitForExist({ reverse: true, timeout: WAIT, timeoutMsg: 'the dialog did not close' });

/** The clause row whose number is `n`. */
const row = (n) => `//div[@role="row"][.//span[contains(@class,"number") and normalize-space(.)=${lit(n)}]]`;

/** The headline figure (Figures.svelte) labelled `label`, as text. */
async function figure(label, scope = '') {
  const dd = await shown(`${scope}//dl[contains(@class,"figures")]//div[dt[normalize-space(.)=${lit(label)}]]/dd`);
  return (await textOf(dd)).split(' ')[0];
}

const sidebar = '//nav[contains(@class,"side")]';

async function goDashboard(label = 'Dashboard') {
  await (await link(label, sidebar)).click();
  await shown(`//main//h1[normalize-space(.)=${lit(label)}]`);
  // The figures come from the core: wait for them.
  await shown('//main//dl[contains(@class,"figures")]');
}

async function openAgreementFromList(listLabel = 'Agreements') {
  await (await link(listLabel, sidebar)).click();
  await (await link(AGREEMENT, '//main//table')).click();
  await shown(`//main//h1[normalize-space(.)=${lit(AGREEMENT)}]`);
  await shown(row('1'));
}

function step(name, fn) {
  it(name, { timeout: STEP_TIMEOUT }, async (t) => {
    if (broken) return t.skip('an earlier step failed');
    try {
      await fn();
    } catch (e) {
      broken = true;
      if (browser) {
        const file = `fail-${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}.png`;
        await shot(file).catch(() => {});
        const where = await hash().catch(() => '?');
        e.message += `\n  (at ${where}; screenshot ${file})`;
      }
      throw e;
    }
  });
}

// ---------------------------------------------------------------- the flow

describe('Clausebook, end to end', () => {
  after(endApp);

  step('1. first start on an empty register shows the welcome screen', async () => {
    await startApp();
    await shown(`//h1[normalize-space(.)="Welcome to Clausebook"]`);
    assert.equal(await browser.execute(() => document.documentElement.dir), 'ltr');
    await button('Load demo data');
    const empty = await button('Start with an empty register');
    await type(await field('Your name'), OFFICER);
    await shot('01-welcome.png');

    await empty.click();
    // Starting empty goes to the dashboard and opens the new-partner form.
    await dialog('New partner');
    await shown(`//main//h1[normalize-space(.)="Dashboard"]`);
    await shown(`//h3[normalize-space(.)="No partners yet"]`);
  });

  step('2. create the partner Tajikistan with its Persian and local names', async () => {
    const d = '[role="dialog"]';
    const country = await shown(`//*[@role="dialog"]//label[normalize-space(.)="Country"]/input`);
    assert.equal(await country.isSelected(), true, 'a new partner is a country by default');
    await type(await field('Name in English', d), PARTNER.name);
    await type(await field('Name in Persian', d), PARTNER.fa);
    await type(await field('Name in the partner’s language', d), PARTNER.local);
    // Languages are offered by name (from ICU), stored as their code.
    const lang = await field('Language of that name', d);
    await choose(lang, PARTNER.langName);
    assert.equal(await lang.getValue(), PARTNER.lang);
    await (await button('Save', '//*[@role="dialog"]')).click();
    await noDialog();
    await toast('Tajikistan added');

    // The partner's page: its three names, and no agreement yet.
    await shown(`//main//h1[normalize-space(.)="Tajikistan"]`);
    await waitText('main .others', PARTNER.fa);
    await waitText('main .others', PARTNER.local);
    await shown(`//h3[normalize-space(.)="No agreements with this partner yet"]`);
    ids.partner = (await hash()).split('/').pop();
    assert.match(await hash(), /^#\/partners\/./);
  });

  step('3. record an agreement signed on 1404/02/07 in the Solar Hijri calendar', async () => {
    await (await button('New agreement', '//main//header')).click();
    const d = '[role="dialog"]';
    await dialog('New agreement');
    await type(await field('Title', d), AGREEMENT);
    await choose(await field('Kind', d), 'Action plan');
    // Opened from the partner's page: the partner is already ticked.
    const party = await shown(`//*[@role="dialog"]//label[contains(@class,"party")][normalize-space(.)="Tajikistan"]/input`);
    assert.equal(await party.isSelected(), true, 'Tajikistan is a party');
    await (await shown(`//*[@role="dialog"]//label[normalize-space(.)="Solar Hijri"]/input`)).click();
    const signed = await field('Signed', d);
    await type(signed, SIGNED_TYPED);
    // The date is read by the core and confirmed in both calendars.
    const confirm = `[id="${await signed.getAttribute('id')}-confirm"]`;
    await waitText(confirm, '27 Apr 2025 · 7 Ordibehesht 1404');
    // The calendar button opens a month grid in the agreement's calendar,
    // with the Gregorian day under every Solar Hijri day.
    const picker = `${await signed.getAttribute('id')}-picker`;
    await (await shown(`//*[@role="dialog"]//button[@aria-controls="${picker}"]`)).click();
    await shown(`//*[@id="${picker}"]//table[@role="grid"][@aria-label="Ordibehesht 1404"]`);
    await waitText(`[id="${picker}"] .title`, 'April – May 2025');
    const day7 = await shown(`//*[@id="${picker}"]//button[@aria-label="7 Ordibehesht 1404 (27 Apr 2025)"]`);
    assert.match(await day7.getAttribute('class'), /selected/);
    assert.equal((await textOf(day7)).replace(/\s+/g, ' '), '7 27');
    await shot('02b-date-picker.png');
    const day10 = await shown(`//*[@id="${picker}"]//button[@aria-label="10 Ordibehesht 1404 (30 Apr 2025)"]`);
    await day10.click();
    await waitText(confirm, '30 Apr 2025 · 10 Ordibehesht 1404');
    assert.equal(await signed.getValue(), '1404/02/10');
    assert.equal(await browser.$(`[id="${picker}"]`).isExisting(), false, 'the grid closes once a day is chosen');
    await (await shown(`//*[@role="dialog"]//button[@aria-controls="${picker}"]`)).click();
    await (await shown(`//*[@id="${picker}"]//button[@aria-label="7 Ordibehesht 1404 (27 Apr 2025)"]`)).click();
    assert.equal(await signed.getValue(), SIGNED_TYPED);
    await waitText(confirm, '27 Apr 2025 · 7 Ordibehesht 1404');
    await (await button('Save', '//*[@role="dialog"]')).click();
    await noDialog();
    await toast('Agreement recorded');

    await shown(`//main//h1[normalize-space(.)=${lit(AGREEMENT)}]`);
    ids.agreement = (await hash()).split('/').pop();
    const facts = 'main .ag-head .facts';
    await waitText(facts, 'Partner parties Tajikistan');
    await waitText(facts, 'Signed 7 Ordibehesht 1404 27 Apr 2025');
    await waitText(facts, 'Drafted in Solar Hijri');
    await waitText('main .ag-head .kind', 'Action plan Signed');
    await shown(`//h3[normalize-space(.)="No clauses yet"]`);
  });

  step('4. add two clauses: one long overdue, one due 3 months after signing', async () => {
    for (const [n, c] of [
      ['1', CLAUSE1],
      ['2', CLAUSE2],
    ]) {
      await (await button('Add clause', '//main//div[contains(@class,"toolbar")]')).click();
      const d = '[role="dialog"]';
      await dialog('New clause');
      assert.equal(await (await field('Number', d)).getValue(), n, 'the next number is suggested');
      await type(await field('Text of the clause', d), c.text);
      await type(await field('Our lead body', d), c.ourLead);
      await type(await field('Partner’s lead body', d), c.partnerLead);
      const deadline = await field('Deadline', d);
      await type(deadline, c.deadline);
      const confirm = `[id="${await deadline.getAttribute('id')}-confirm"]`;
      await waitText(confirm, n === '1' ? '5 Jun 2025 · 15 Khordad 1404' : '3 months after signing (Solar Hijri)');
      await (await button('Save', '//*[@role="dialog"]')).click();
      await noDialog();
      await toast(`Clause ${n} added`);
      await shown(row(n));
    }
    // Both rows, each with its text, lead bodies and deadline.
    const r1 = row('1');
    const r2 = row('2');
    ids.clause1 = await (await browser.$(r1)).getAttribute('data-clause-id');
    ids.clause2 = await (await browser.$(r2)).getAttribute('data-clause-id');
    await waitText(r1, CLAUSE1.text);
    await waitText(r1, CLAUSE1.ourLead);
    await waitText(r1, CLAUSE1.partnerLead);
    await waitText(r1, '5 Jun 2025');
    await shown(`${r1}//span[contains(@class,"due") and contains(@class,"overdue")]`);
    assert.match(await textOf(await browser.$(`${r1}//span[contains(@class,"due")]`)), /^\d+ days overdue$/);
    await waitText(r2, CLAUSE2.text);
    await waitText(r2, CLAUSE2.ourLead);
    await waitText(r2, CLAUSE2.partnerLead);
    await waitText(r2, '29 Jul 2025'); // 7 Mordad 1404: three Solar Hijri months after signing
    for (const r of [r1, r2]) {
      assert.equal(await (await browser.$(`${r}//select[contains(@class,"status-select")]`)).getValue(), 'not_started');
    }
    await waitText('main .clauses h2', 'Clauses 2');
    await clearToasts();
    await shot('03-agreement.png');
  });

  step('5. change clause 1 to “In progress” in the table', async () => {
    const select = await shown(`${row('1')}//select[@aria-label="Status of clause 1"]`);
    await choose(select, 'In progress');
    // The chip takes the new status's colour at once, and the change is saved.
    await shown(`${row('1')}//span[contains(@class,"wrap") and contains(@class,"st-in_progress")]`);
    await toast('Clause 1: In progress');
    assert.equal(await select.getValue(), 'in_progress');
    // Clause 2 is untouched.
    assert.equal(await (await browser.$(`${row('2')}//select[contains(@class,"status-select")]`)).getValue(), 'not_started');
  });

  step('6. open clause 1 and add a progress note that completes it', async () => {
    await (await shown(`${row('1')}//div[contains(@class,"text")]/p`)).click();
    const panel = '//aside[contains(@class,"panel")]';
    await shown(`${panel}//h2[normalize-space(.)="Clause 1"]`);
    assert.equal(await hash(), `#/agreements/${ids.agreement}/clauses/${ids.clause1}`);
    await waitText('aside.panel .full-text', CLAUSE1.text);
    await waitText('aside.panel .facts', `Our lead body ${CLAUSE1.ourLead}`);
    await waitText('aside.panel .facts', `Partner’s lead body ${CLAUSE1.partnerLead}`);
    await shown(`${panel}//h3[normalize-space(.)="No progress notes yet"]`);

    await type(await field('What happened', 'aside.panel'), NOTE);
    const statusTo = await field('Status after this note', 'aside.panel');
    assert.equal(await contentOf(await statusTo.$('option:checked')), 'Keep “In progress”');
    await choose(statusTo, 'Completed');
    await (await button('Add note', panel)).click();
    await toast('Note added');

    // The note heads the timeline, with the status change it made.
    const note = `${panel}//ol[contains(@class,"timeline")]/li[1]`;
    await waitText(note, NOTE);
    await waitText(note, OFFICER);
    await waitText(`${note}//p[contains(@class,"change")]`, 'In progress Status: In progress → Completed Completed');
    // The clause is now completed, in the panel and in the table.
    await shown(`${panel}//div[contains(@class,"title-line")]//span[contains(@class,"st-completed")]`);
    await shown(`${row('1')}//span[contains(@class,"wrap") and contains(@class,"st-completed")]`);
    await waitText(`${row('1')}//div[contains(@class,"note")]`, NOTE);
    await clearToasts();
    await shot('04-clause.png');

    // The history shows who changed the status, and from what to what.
    await (await shown(`${panel}//button[@role="tab"][contains(normalize-space(.),"History")]`)).click();
    const history = `${panel}//ol[contains(@class,"history")]`;
    await waitText(history, `${OFFICER} Clause · changed`);
    await waitText(history, 'Status from Not started to In progress');
    await waitText(history, `${OFFICER} Note · created`);
    await waitText(history, 'Status from In progress to Completed');
    await waitText(history, `${OFFICER} Clause · created`);
    await shot('04b-clause-history.png');
    await (await shown(`${panel}//button[@role="tab"][contains(normalize-space(.),"Progress notes")]`)).click();
    await waitText(note, NOTE);
  });

  step('7. Ctrl+K finds the note, grouped under the partner and agreement', async () => {
    // Go elsewhere first, so opening the hit is seen to navigate.
    await goDashboard();
    await browser.keys(['Control', 'k']);
    const search = await shown('//*[@role="dialog"]//input[@role="combobox"]');
    assert.equal(await search.isFocused(), true, 'the search box has the focus');
    await type(search, NOTE_WORD);
    const group = '//*[@role="dialog"]//li[contains(@class,"group")]';
    await shown(`${group}//li[@role="option"]`);
    // Group: partner, then agreement, then the hit.
    assert.equal(await contentOf(await browser.$(`${group}/p[contains(@class,"group-label")]`)), PARTNER.name);
    assert.equal(await textOf(await browser.$(`${group}//p[contains(@class,"ag-title")]`)), AGREEMENT);
    const hit = await browser.$(`${group}//li[@role="option"][.//span[contains(@class,"kind")][normalize-space(.)="Note on clause 1"]]`);
    await hit.waitForDisplayed({ timeout: WAIT });
    await waitText(`${group}//li[@role="option"][.//span[normalize-space(.)="Note on clause 1"]]`, NOTE_WORD);
    await shot('05-search.png');

    await hit.click();
    await browser.$('[role="dialog"]').waitForExist({ reverse: true, timeout: WAIT });
    await shown(`//aside[contains(@class,"panel")]//h2[normalize-space(.)="Clause 1"]`);
    assert.equal(await hash(), `#/agreements/${ids.agreement}/clauses/${ids.clause1}`);
    await waitText('aside.panel .timeline', NOTE);
  });

  step('8. the dashboard adds it all up', async () => {
    // Clause 1 is done, so no longer overdue; clause 2 fell due on 29 Jul 2025 and is not done.
    const now = new Date();
    const today = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
    const overdueRows = today > '2025-07-29' ? 1 : 0;
    const badge = (n) => browser.$$(`${row(n)}//span[contains(@class,"due") and contains(@class,"overdue")]`);
    assert.equal((await badge('1')).length, 0, 'a completed clause is not overdue');
    assert.equal((await badge('2')).length, overdueRows, 'clause 2 is overdue once 29 Jul 2025 has passed');
    await goDashboard();
    assert.equal(await figure('Clauses'), '2');
    assert.equal(await figure('Done'), '1');
    assert.equal(await figure('In progress'), '0');
    assert.equal(await figure('Overdue'), String(overdueRows));
    // The partner card: Tajikistan with its other names and figures.
    const card = `//main//a[contains(@class,"pcard")][.//h3[normalize-space(.)="Tajikistan"]]`;
    await shown(card);
    await waitText(card, PARTNER.fa);
    await waitText(card, PARTNER.local);
    await waitText(card, `Agreements 1 Clauses 2 Overdue ${overdueRows}`);
    await waitText(card, 'Completed 1');
    // Most overdue: clause 1 is done, so it is not listed.
    const od = '//main//section[contains(@class,"overdue")]';
    if (overdueRows) {
      await waitText(od, CLAUSE2.text);
      assert.equal((await textOf(await browser.$(od))).includes(CLAUSE1.text), false);
    } else {
      await waitText(od, 'Nothing is overdue');
    }
    await clearToasts();
    await shot('02-dashboard.png');
  });

  step('9. clause text with HTML is shown as text, never run', async () => {
    await openAgreementFromList();
    await browser.execute(() => {
      window.__xss = 0;
      window.alert = () => (window.__xss += 1);
    });
    await (await button('Add clause', '//main//div[contains(@class,"toolbar")]')).click();
    await dialog('New clause');
    assert.equal(await (await field('Number', '[role="dialog"]')).getValue(), '3');
    await type(await field('Text of the clause', '[role="dialog"]'), XSS);
    await (await button('Save', '//*[@role="dialog"]')).click();
    await noDialog();
    await toast('Clause 3 added');
    const r3 = row('3');
    await shown(r3);
    ids.clause3 = await (await browser.$(r3)).getAttribute('data-clause-id');
    assert.equal(await contentOf(await browser.$(`${r3}//p[contains(@class,"clause-text")]`)), XSS);
    assert.equal(await textOf(await browser.$(`${r3}//p[contains(@class,"clause-text")]`)), XSS, 'rendered as typed');
    const created = await browser.execute(() => ({
      inTable: document.querySelectorAll('[role="table"] img, [role="table"] script').length,
      imgX: [...document.images].filter((i) => i.getAttribute('src') === 'x').length,
      alerts: window.__xss,
    }));
    assert.deepEqual(created, { inTable: 0, imgX: 0, alerts: 0 });

    // And in the clause's panel.
    await (await shown(`${r3}//div[contains(@class,"text")]/p`)).click();
    await shown(`//aside[contains(@class,"panel")]//h2[normalize-space(.)="Clause 3"]`);
    assert.equal(await contentOf(await browser.$('aside.panel .full-text')), XSS);
    assert.equal(await browser.execute(() => document.querySelectorAll('aside.panel img, aside.panel script').length), 0);
    await (await shown('//aside[contains(@class,"panel")]//button[@aria-label="Close clause details"]')).click();
    await browser.$('aside.panel').waitForExist({ reverse: true, timeout: WAIT });
    assert.equal(await browser.execute(() => window.__xss), 0, 'no script ran');
  });

  step('10. the interface in Persian, right to left', async () => {
    await clearToasts();
    await (await shown(`${sidebar}//button[@aria-label="Switch the interface to Persian"]`)).click();
    await browser.waitUntil(async () => (await browser.execute(() => document.documentElement.dir)) === 'rtl', {
      timeout: WAIT,
      timeoutMsg: '<html dir> did not become rtl',
    });
    assert.equal(await browser.execute(() => document.documentElement.lang), 'fa');
    await shown(`${sidebar}//a[normalize-space(.)="پیشخوان"]`);
    await shown(`${sidebar}//button[@aria-label="تغییر زبان رابط به انگلیسی"]`);
    // The agreement page, as it is now, in Persian.
    await shown(`//main//h2[starts-with(normalize-space(.),"بندها")]`);
    await shown('//div[@role="columnheader"][normalize-space(.)="دستگاه مسئول ما"]');
    assert.equal(await contentOf(await browser.$(`${row('1')}//select[contains(@class,"status-select")]/option[@value="completed"]`)), 'انجام‌شده');
    await waitText('main .ag-head .facts', 'تاریخ امضا ۷ اردیبهشت ۱۴۰۴');
    await waitText('main .ag-head .facts', 'تاجیکستان');

    await goDashboard('پیشخوان');
    assert.equal(await figure('بندها'), '۳');
    assert.equal(await figure('انجام‌شده'), '۱');
    await shown(`//main//a[contains(@class,"pcard")]//h3[normalize-space(.)=${lit(PARTNER.fa)}]`);
    await shot('06-dashboard-fa.png');
    assert.deepEqual(await englishOnScreen(), [], 'English on the Persian dashboard');

    await openAgreementFromList('اسناد همکاری');
    await waitText('main .ag-head .kind', 'برنامه اقدام');
    await shot('07-agreement-fa.png');
    assert.deepEqual(await englishOnScreen(), [], 'English on the Persian agreement page');

    // The date picker in Persian: a Solar Hijri grid from Saturday, Persian
    // digits, the Gregorian day under each; Escape closes the grid, not the form.
    await (await button('ویرایش', '//main//header')).click();
    await dialog('ویرایش سند همکاری');
    const signedFa = await field('تاریخ امضا', '[role="dialog"]');
    assert.equal(await signedFa.getValue(), '۱۴۰۴/۰۲/۰۷');
    const pickerFa = `${await signedFa.getAttribute('id')}-picker`;
    await (await shown(`//*[@role="dialog"]//button[@aria-controls="${pickerFa}"]`)).click();
    await shown(`//*[@id="${pickerFa}"]//table[@role="grid"][@aria-label="اردیبهشت ۱۴۰۴"]`);
    await shown(`//*[@id="${pickerFa}"]//button[@aria-label="۷ اردیبهشت ۱۴۰۴ (۲۷ آوریل ۲۰۲۵)"]`);
    await waitText(`[id="${pickerFa}"] thead`, 'ش');
    await shot('07b-date-picker-fa.png');
    assert.deepEqual(await englishOnScreen(), [], 'English in the Persian agreement form');
    await browser.keys('Escape');
    await browser.waitUntil(async () => !(await browser.$(`[id="${pickerFa}"]`).isExisting()), { timeout: WAIT });
    await dialog('ویرایش سند همکاری');
    await browser.keys('Escape');
    await noDialog();
    await (await button('افزودن بند', '//main')).click();
    await dialog('بند تازه');
    assert.deepEqual(await englishOnScreen(), [], 'English in the Persian clause form');
    await browser.keys('Escape');
    await noDialog();

    // Every Nowruz of the official leap-year table, as this WebKit's ICU
    // (which draws every Solar Hijri date on screen) reads it.
    const kabise = fs
      .readFileSync(path.join(ROOT, '../shared/data/persian-calendar/kabise.txt'), 'utf8')
      .split('\n')
      .filter((l) => /^\d/.test(l))
      .map((l) => l.split(/\s+/));
    const wrong = await browser.execute((rows) => {
      const f = new Intl.DateTimeFormat('en-u-ca-persian-nu-latn', { timeZone: 'UTC', year: 'numeric', month: 'numeric', day: 'numeric' });
      return rows
        .filter(([y, iso]) => {
          const [Y, M, D] = iso.split('-').map(Number);
          const parts = f.formatToParts(new Date(Date.UTC(Y, M - 1, D, 12)));
          const get = (type) => Number(parts.find((p) => p.type === type)?.value);
          return !(get('year') === Number(y.replace(/\*/g, '')) && get('month') === 1 && get('day') === 1);
        })
        .map(([y, iso]) => `${y} ${iso}: ${new Intl.DateTimeFormat('en-u-ca-persian-nu-latn', { timeZone: 'UTC' }).format(new Date(`${iso}T12:00:00Z`))}`);
    }, kabise);
    assert.equal(kabise.length, 293);
    assert.deepEqual(wrong, [], 'Nowruz dates WebKit gets wrong');

    // The other screens and dialogs a Persian officer opens: none shows English.
    await (await shown(`${row('1')}//div[contains(@class,"text")]/p`)).click();
    const panelFa = '//aside[contains(@class,"panel")]';
    await shown(`${panelFa}//h2[normalize-space(.)="بند 1"]`);
    await waitText('aside.panel', 'پیشرفت');
    assert.deepEqual(await englishOnScreen(), [], 'English in the Persian clause panel');
    await (await shown(`${panelFa}//button[@role="tab"][contains(normalize-space(.),"تاریخچه")]`)).click();
    await shown(`${panelFa}//ol[contains(@class,"history")]`);
    assert.deepEqual(await englishOnScreen(), [], 'English in the Persian clause history');
    await shot('07c-clause-history-fa.png');
    await browser.keys('Escape');
    await (await button('خروجی گرفتن', '//main//header')).click();
    await shown('//*[@role="dialog"]//input[@type="radio"]');
    assert.deepEqual(await englishOnScreen(), [], 'English in the Persian export dialog');
    await browser.keys('Escape');
    await noDialog();
    await browser.keys(['Control', 'k']);
    const searchFa = await shown('//*[@role="dialog"]//input[@role="combobox"]');
    await type(searchFa, NOTE_WORD);
    await shown('//*[@role="dialog"]//li[@role="option"]');
    assert.deepEqual(await englishOnScreen(), [], 'English in the Persian search');
    await browser.keys('Escape');
    await noDialog();
    await (await link(PARTNER.fa, '//main')).click();
    await shown(`//main//h1[normalize-space(.)=${lit(PARTNER.fa)}]`);
    assert.deepEqual(await englishOnScreen(), [], 'English on the Persian partner page');
    await (await button('ویرایش', '//main//header')).click();
    await dialog(`ویرایش ${PARTNER.fa}`);
    assert.equal(await contentOf(await browser.$('[role="dialog"] select option:checked')), 'تاجیکی');
    assert.deepEqual(await englishOnScreen(), [], 'English in the Persian partner form');
    await browser.keys('Escape');
    await noDialog();
    await (await button('گزارش جلسه', sidebar)).click();
    await dialog('تهیه گزارش جلسه');
    assert.deepEqual(await englishOnScreen(), [], 'English in the Persian meeting-brief builder');
    await browser.keys('Escape');
    await noDialog();
    await (await shown(`${sidebar}//button[@aria-label="میان‌برهای صفحه‌کلید"]`)).click();
    await dialog('میان‌برهای صفحه‌کلید');
    assert.deepEqual(await englishOnScreen(), [], 'English in the Persian shortcuts help');
    await browser.keys('Escape');
    await noDialog();
    await (await link('اسناد همکاری', sidebar)).click();
    await shown(`//main//h1[normalize-space(.)="اسناد همکاری"]`);
    assert.deepEqual(await englishOnScreen(), [], 'English in the Persian list of agreements');

    // Back to English, from Settings.
    await (await link('تنظیمات', sidebar)).click();
    await shown(`//main//h1[normalize-space(.)="تنظیمات"]`);
    assert.deepEqual(await englishOnScreen(), [], 'English in the Persian settings');
    await (await shown(`//main//label[normalize-space(.)="English"]/input`)).click();
    await browser.waitUntil(async () => (await browser.execute(() => document.documentElement.dir)) === 'ltr', {
      timeout: WAIT,
      timeoutMsg: '<html dir> did not go back to ltr',
    });
    await shown(`//main//h1[normalize-space(.)="Settings"]`);
    assert.equal(await browser.execute(() => document.documentElement.lang), 'en');
  });

  step('11. Settings shows where the register is kept', async () => {
    const code = await shown('//main//div[contains(@class,"path")]/code');
    assert.equal(await textOf(code), DB);
    await waitText('main', 'Database file');
    await waitText('main', `Your name`);
    assert.equal(await (await field('Your name', 'main')).getValue(), OFFICER);
    await clearToasts();
    await shot('09-settings.png');
  });

  step('12. after a restart everything is still there', async () => {
    await endApp();
    await startApp();
    // Not the welcome screen: the register has data now.
    await shown(`//main//h1[normalize-space(.)="Dashboard"]`);
    assert.equal(await browser.execute(() => document.documentElement.dir), 'ltr', 'still in English');
    await shown('//main//dl[contains(@class,"figures")]');
    assert.equal(await figure('Clauses'), '3');
    assert.equal(await figure('Done'), '1');
    await shown(`//main//a[contains(@class,"pcard")]//h3[normalize-space(.)="Tajikistan"]`);

    await openAgreementFromList();
    assert.equal(await hash(), `#/agreements/${ids.agreement}`);
    await waitText('main .ag-head .facts', 'Signed 7 Ordibehesht 1404 27 Apr 2025');
    await waitText(row('1'), CLAUSE1.text);
    await waitText(row('2'), CLAUSE2.text);
    await waitText(row('2'), '29 Jul 2025');
    assert.equal(await contentOf(await browser.$(`${row('3')}//p[contains(@class,"clause-text")]`)), XSS);
    assert.equal(await (await browser.$(`${row('1')}//select[contains(@class,"status-select")]`)).getValue(), 'completed');
    assert.equal(await (await browser.$(`${row('2')}//select[contains(@class,"status-select")]`)).getValue(), 'not_started');

    await (await shown(`${row('1')}//div[contains(@class,"text")]/p`)).click();
    const panel = '//aside[contains(@class,"panel")]';
    await shown(`${panel}//h2[normalize-space(.)="Clause 1"]`);
    const note = `${panel}//ol[contains(@class,"timeline")]/li[1]`;
    await waitText(note, NOTE);
    await waitText(`${note}//p[contains(@class,"change")]`, 'Status: In progress → Completed');
    await shot('08-after-restart.png');
    await (await shown(`${panel}//button[@role="tab"][contains(normalize-space(.),"History")]`)).click();
    await waitText(`${panel}//ol[contains(@class,"history")]`, 'Status from Not started to In progress');
  });
});
