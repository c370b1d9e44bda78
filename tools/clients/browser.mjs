// Drives a browser for the client harness: Chromium over the DevTools
// protocol, Firefox over WebDriver BiDi, both through puppeteer-core.
//
// Usage: node browser.mjs chromium|firefox EXECUTABLE
//
// Prints {"version": ...} once the browser is up, then reads one job a
// line on stdin (JSON, with an id) and prints one answer a line, with the
// same id, as each job ends; jobs run at once, each in a page of its own
// that starts on job.page, a page of another origin. A
// job's mode is "navigate" (the tab goes to the URL; a POST is a form
// submitted from the page) or "fetch" (fetch() from the page).
// Navigations send no request headers of the job: a page cannot ask for
// them. An answer with harness_error is a failure of the harness, not
// the browser's behaviour.
import readline from 'node:readline';
import puppeteer from 'puppeteer-core';

const [kind, executablePath] = process.argv.slice(2);
const launch = {
  browser: kind === 'firefox' ? 'firefox' : 'chrome',
  executablePath,
  headless: true,
  protocolTimeout: 60000,
};
if (kind === 'chromium') {
  launch.args = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'];
}
const browser = await puppeteer.launch(launch);
console.log(JSON.stringify({ version: await browser.version() }));

// errorKind keeps the kind of a navigation error: Chromium's net::ERR_...
// code or Firefox's NS_... code, or the message without addresses.
function errorKind(msg) {
  const m = String(msg).match(/net::ERR_[A-Z_0-9]+|NS_[A-Z_0-9]+/);
  if (m) return m[0];
  return String(msg).replace(/ at (https?|about):\S*$/, '').replace(/127\.0\.0\.1:\d+/g, 'HOST').split('\n')[0];
}

// Each mode sets job.start when the request starts: the time to an
// outcome leaves out the set-up of the page.
async function navigate(page, job) {
  if (job.method === 'GET') {
    job.start = performance.now();
    const r = await page.goto(job.url, { timeout: 0 });
    return answerOf(r);
  }
  job.start = performance.now();
  const [r] = await Promise.all([
    page.waitForNavigation({ timeout: 0 }),
    page.evaluate((url, method, body) => {
      const f = document.createElement('form');
      f.method = method;
      f.action = url;
      for (const [k, v] of new URLSearchParams(body)) {
        const i = document.createElement('input');
        i.type = 'hidden';
        i.name = k;
        i.value = v;
        f.appendChild(i);
      }
      document.body.appendChild(f);
      f.submit();
    }, job.url, job.method, job.body || ''),
  ]);
  return answerOf(r);
}

async function answerOf(r) {
  if (!r) return { status: 0, body_bytes: 0, error: 'no response' };
  let n = 0;
  try {
    n = (await r.buffer()).length;
  } catch {
    n = 0;
  }
  return { status: r.status(), body_bytes: n, error: '' };
}

async function fetchFrom(page, job) {
  job.start = performance.now();
  return page.evaluate(async (job) => {
    const headers = Object.fromEntries(job.headers || []);
    if (job.body) headers['Content-Type'] = 'application/x-www-form-urlencoded';
    try {
      const r = await fetch(job.url, { method: job.method, headers, body: job.body || undefined });
      const b = await r.arrayBuffer();
      return { status: r.status, body_bytes: b.byteLength, error: '' };
    } catch (e) {
      return { status: 0, body_bytes: 0, error: e.name + ': ' + e.message };
    }
  }, job);
}

// setUp opens a page on job.page, one job at a time (Firefox loses pages
// made at the same moment), trying again when the browser fails to. The
// pages share one browser context: each job's servers are on ports of
// their own, so no cache, connection or credential of one job can serve
// another, and a context per job costs the browser more than the job.
let queue = Promise.resolve();
function setUp(job) {
  const next = queue.then(async () => {
    let err;
    for (let i = 0; i < 3; i++) {
      let page;
      try {
        page = await browser.newPage();
        await page.goto(job.page, { timeout: 30000 });
        return page;
      } catch (e) {
        err = e;
        if (page) await page.close().catch(() => {});
      }
    }
    throw err;
  });
  queue = next.catch(() => {});
  return next;
}

async function run(job) {
  let page;
  try {
    page = await setUp(job);
  } catch (e) {
    // Not the client's behaviour: the harness could not set up a page.
    console.log(JSON.stringify({ id: job.id, harness_error: 'set up a page: ' + e.message }));
    return;
  }
  let timer;
  let out;
  try {
    job.start = performance.now();
    // The limit counts from the request, once the page is set up.
    const limit = new Promise((resolve) => {
      const wait = () => {
        const left = job.start + job.limit * 1000 - performance.now();
        if (left <= 0) resolve({ none: true });
        else timer = setTimeout(wait, left);
      };
      timer = setTimeout(wait, job.limit * 1000);
    });
    const work = job.mode === 'fetch' ? fetchFrom(page, job) : navigate(page, job);
    out = await Promise.race([work.catch((e) => ({ status: 0, body_bytes: 0, error: e.message })), limit]);
  } catch (e) {
    out = { status: 0, body_bytes: 0, error: e.message };
  }
  clearTimeout(timer);
  if (out.none) {
    out = { status: 0, body_bytes: 0, error: '', elapsed_ms: job.limit * 1000, none: true };
  } else if (/^Protocol error/.test(out.error) && !/net::ERR_|NS_/.test(out.error)) {
    out = { harness_error: out.error };
  } else {
    out.error = errorKind(out.error);
    out.elapsed_ms = Math.floor(performance.now() - job.start);
    out.none = false;
  }
  out.id = job.id;
  console.log(JSON.stringify(out));
  page.close().catch(() => {});
}

const rl = readline.createInterface({ input: process.stdin });
rl.on('line', (line) => {
  if (line.trim()) run(JSON.parse(line));
});
rl.on('close', async () => {
  await browser.close();
  process.exit(0);
});
