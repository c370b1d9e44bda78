// One request with Node's fetch (undici) or node:http, for the client
// harness.
//
// Usage: node client.mjs fetch|http
//
// Prints {"version": ...}, then reads one job a line on stdin (JSON, with
// an id) and prints one answer a line as each job ends, with the same id:
// status, body_bytes, error (the error's name, code and message, and its
// cause's code), elapsed_ms, none (nothing within the job's limit). Jobs
// run at once. Both run with their defaults, except the options the job asks
// for (credentials for node:http).
import http from 'node:http';
import readline from 'node:readline';

function errorKind(e) {
  let s = e.name || 'Error';
  if (e.code) s += ' ' + e.code;
  if (e.message) s += ': ' + e.message.replace(/127\.0\.0\.1:\d+/g, 'HOST');
  const c = e.cause;
  if (c) s += ' (' + (c.code || (c.name + ': ' + c.message)) + ')';
  return s;
}

async function runFetch(job) {
  const headers = Object.fromEntries(job.headers || []);
  if (job.body) headers['Content-Type'] = 'application/x-www-form-urlencoded';
  const r = await fetch(job.url, { method: job.method, headers, body: job.body || undefined });
  const b = await r.arrayBuffer();
  return { status: r.status, body_bytes: b.byteLength };
}

function runHTTP(job) {
  return new Promise((resolve, reject) => {
    const headers = Object.fromEntries(job.headers || []);
    if (job.body) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      headers['Content-Length'] = Buffer.byteLength(job.body);
    }
    const opts = { method: job.method, headers };
    if (job.user) opts.auth = job.user + ':' + job.pass;
    const req = http.request(job.url, opts, (res) => {
      let n = 0;
      res.on('data', (d) => { n += d.length; });
      res.on('end', () => resolve({ status: res.statusCode, body_bytes: n }));
      res.on('error', reject);
      res.on('aborted', () => reject(Object.assign(new Error('aborted'), { code: 'ABORTED' })));
    });
    req.on('error', reject);
    req.end(job.body || undefined);
  });
}

async function serve(job) {
  let answered = false;
  const once = (o) => {
    if (answered) return;
    answered = true;
    console.log(JSON.stringify({ id: job.id, ...o }));
  };
  const timer = setTimeout(() => once({ status: 0, body_bytes: 0, error: '', elapsed_ms: job.limit * 1000, none: true }), job.limit * 1000);
  const start = performance.now();
  let out;
  try {
    out = { ...(await (lib === 'fetch' ? runFetch(job) : runHTTP(job))), error: '' };
  } catch (e) {
    out = { status: 0, body_bytes: 0, error: errorKind(e) };
  }
  clearTimeout(timer);
  once({ ...out, elapsed_ms: Math.floor(performance.now() - start), none: false });
}

const lib = process.argv[2];
console.log(JSON.stringify({ version: lib === 'fetch' ? 'Node ' + process.version + ', undici ' + process.versions.undici : 'Node ' + process.version }));
const rl = readline.createInterface({ input: process.stdin });
rl.on('line', (line) => {
  if (line.trim()) serve(JSON.parse(line));
});
rl.on('close', () => process.exit(0));
