// Opens a 5,000-clause agreement in the real app and reports how long it
// takes from navigation to the first rows of its clause table on screen
// (median of five openings), against the same for a 50-clause one; then
// exports a 10,000-clause PDF (a brief that shows that agreement twice) and
// measures, while it runs, how fast the
// window answers typing and a call to the core that needs no register.
// Run by scripts/bench-app.sh.
import { remote } from 'webdriverio';

const browser = await remote({
  hostname: '127.0.0.1',
  port: Number(process.env.CLAUSEBOOK_E2E_PORT),
  capabilities: { 'tauri:options': { application: process.env.CLAUSEBOOK_E2E_APP } },
  logLevel: 'warn',
});
try {
  const id = process.env.CLAUSEBOOK_BENCH_AGREEMENT;
  const small = process.env.CLAUSEBOOK_BENCH_SMALL;
  await browser.$('h1').waitForDisplayed({ timeout: 20000 });
  // The reference is the same window opening an agreement of 50 clauses:
  // what is left over is what the 5,000 rows cost.
  const big = await opening(id, 5000);
  const few = await opening(small, 50);
  const ratio = big / few;
  console.log(`open an agreement with 5,000 clauses: ${big.toFixed(0)} ms (median of 5; from navigation to rows on screen)`);
  console.log(
    `open an agreement with 50 clauses: ${few.toFixed(0)} ms → 5,000 take ${ratio.toFixed(2)}× its time   target <= 3×   ${ratio <= 3 ? 'PASS' : 'MISS'}`,
  );

  await responsiveDuringExport(id);
} finally {
  await browser.deleteSession();
}

/**
 * The median time, over five openings after one that warms caches, from
 * navigating to the agreement `agreement` of `clauses` clauses to its first
 * rows on screen.
 */
async function opening(agreement, clauses) {
  const times = [];
  for (let run = 0; run < 6; run++) {
    const ms = await browser.executeAsync(
      (agreement, rowcount, done) => {
        location.hash = '#/';
        setTimeout(() => {
          const t0 = performance.now();
          location.hash = `#/agreements/${agreement}`;
          const poll = () => {
            const table = document.querySelector('[role="table"]');
            const rows = table ? table.querySelectorAll('[role="row"].row').length : 0;
            if (table && table.getAttribute('aria-rowcount') === rowcount && rows > 5) {
              requestAnimationFrame(() => done(performance.now() - t0));
            } else {
              setTimeout(poll, 5);
            }
          };
          poll();
        }, 300);
      },
      agreement,
      String(clauses + 1),
    );
    if (run > 0) times.push(ms); // the first opening warms caches
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/**
 * While the core works on a 10,000-clause report, keys typed into a field
 * must arrive (each WebDriver key press goes through the app's main thread
 * to the page) and a command that needs no register must answer, each within
 * 100 ms: no command may hold the window's thread. The same measure with
 * the core idle is printed first, as the floor, and while the 5,000-clause
 * table is read thirty times over, for comparison.
 */
async function responsiveDuringExport(agreement) {
  const out = `${process.env.TMPDIR ?? '/tmp'}/clausebook-bench-${process.pid}.pdf`;
  await browser.execute(() => {
    const input = document.createElement('input');
    input.id = 'bench-input';
    input.setAttribute('aria-label', 'bench');
    document.body.appendChild(input);
  });
  const field = await browser.$('#bench-input');
  const worst = (xs) => Math.max(...xs);
  const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)];
  const ok = (xs) => (worst(xs) <= 100 ? 'ok' : 'MISSED');

  /** Types and pings until `busy` says the work is done (or `n` times). */
  async function probe(busy, n = Infinity) {
    const keys = [];
    const pings = [];
    while (keys.length < n && (await browser.execute(busy))) {
      const t0 = performance.now();
      await field.addValue('x');
      keys.push(performance.now() - t0);
      pings.push(
        await browser.executeAsync((done) => {
          const t = performance.now();
          window.__TAURI_INTERNALS__.invoke('parse_date', { text: '1404/03/15' }).then(() => done(performance.now() - t));
        }),
      );
    }
    return { keys, pings };
  }
  function report(label, { keys, pings }, seconds, judged = true) {
    const verdict = (xs) => (judged ? `   target <= 100 ms   ${ok(xs)}` : '');
    console.log(`${label}${seconds === undefined ? '' : `: ${seconds.toFixed(2)} s`}`);
    console.log(`  a key typed into a field, answered in: worst ${worst(keys).toFixed(0)} ms, p95 ${p95(keys).toFixed(0)} ms (${keys.length} keys)${verdict(keys)}`);
    console.log(`  a command needing no register, answered in: worst ${worst(pings).toFixed(0)} ms, p95 ${p95(pings).toFixed(0)} ms (${pings.length} calls)${verdict(pings)}`);
  }

  report('with the core idle (the floor)', await probe(() => true, 30));

  await browser.execute((agreement, path) => {
    const started = performance.now();
    const request = { kind: 'brief', agreements: [agreement, agreement], clauses: [], partner: null, due_before: null, progress_since: null, overdue: false, title: 'Bench: 10,000 clauses' };
    const options = { lang: 'en', pdf_a: false, reference: null, attachments: null };
    window.__bench = { done: false };
    window.__TAURI_INTERNALS__.invoke('export_report', { request, options, path }).then(
      (summary) => Object.assign(window.__bench, { done: true, ms: performance.now() - started, summary }),
      (error) => Object.assign(window.__bench, { done: true, error }),
    );
  }, agreement, out);
  const exporting = await probe(() => !window.__bench.done);
  const exported = await browser.execute(() => window.__bench);
  if (exported.error) throw new Error(`the export failed: ${JSON.stringify(exported.error)}`);
  report(`while exporting ${exported.summary.clauses} clauses (${exported.summary.pages} pages)`, exporting, exported.ms / 1000);

  await browser.execute((agreement) => {
    const started = performance.now();
    window.__bench = { done: false };
    let chain = Promise.resolve();
    for (let i = 0; i < 30; i++) chain = chain.then(() => window.__TAURI_INTERNALS__.invoke('clause_rows', { agreementId: agreement }));
    chain.then(
      () => Object.assign(window.__bench, { done: true, ms: performance.now() - started }),
      (error) => Object.assign(window.__bench, { done: true, error }),
    );
  }, agreement);
  const reading = await probe(() => !window.__bench.done);
  const read = await browser.execute(() => window.__bench);
  if (read.error) throw new Error(`reading failed: ${JSON.stringify(read.error)}`);
  // No target: each answer (5,000 rows, some 3 MB of JSON) is handed to the
  // page on the main thread, which is the cost the window avoids by applying
  // what a change answers instead of reading the table again.
  report('for comparison, while reading the 5,000-clause table 30 times (no target)', reading, read.ms / 1000, false);
}
