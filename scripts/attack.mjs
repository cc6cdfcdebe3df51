// `npm run test:attack`: the upload server CLI under hostile load (issue 22), on loopback only, bounded, stopping by
// itself. The server runs in a child process with a small heap; this process attacks it in phases and fails on any
// 5xx, on a wrong answer, or when the server's heap after the attack is more than 24 MB above the one after warm-up.
//   ATTACK_REQUESTS=20000 node scripts/attack.mjs      more requests (default 10,000 hostile ones)
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

if (process.argv[2] === '--serve') {
  // The server side: the real CLI, reporting its memory when asked on stdin.
  const { main } = await import('../src/server/node.ts');
  const running = await main(['serve', '--dir', process.argv[3], '--port', '0', '--max-sessions', '50', '--max-connections', '400'], {
    out: () => {},
    env: {},
  });
  process.stdout.write(`${JSON.stringify({ url: running.url })}\n`);
  for await (const line of createInterface({ input: process.stdin })) {
    if (line === 'mem') {
      globalThis.gc?.();
      await new Promise((resolve) => setTimeout(resolve, 50));
      globalThis.gc?.();
      process.stdout.write(`${JSON.stringify({ heap: process.memoryUsage().heapUsed, rss: process.memoryUsage().rss })}\n`);
    }
    if (line === 'quit') break;
  }
  await running.close();
  process.exit(0);
}

const total = Number(process.env.ATTACK_REQUESTS ?? 10_000);
const dir = await mkdtemp(join(tmpdir(), 'itty-attack-'));
const server = spawn(
  process.execPath,
  ['--import', 'tsx', '--expose-gc', '--max-old-space-size=96', fileURLToPath(import.meta.url), '--serve', dir],
  {
    cwd: root,
    stdio: ['pipe', 'pipe', 'inherit'],
  },
);
const lines = createInterface({ input: server.stdout });
const replies = [];
let waiting;
lines.on('line', (line) => {
  replies.push(JSON.parse(line));
  waiting?.();
});
async function reply() {
  while (replies.length === 0) await new Promise((resolve) => (waiting = resolve));
  return replies.shift();
}
const killer = setTimeout(() => {
  console.error('attack run took longer than 5 minutes: stopping');
  server.kill();
  process.exit(1);
}, 300_000);
killer.unref();

const { url } = await reply();
const { port } = new URL(url);
const statuses = new Map();
const problems = [];
let sent = 0;

function send(method, path, { headers = {}, body } = {}) {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString() }));
      res.on('error', () => resolve({ status: 0, text: '' }));
    });
    req.on('error', (error) => resolve({ status: 0, text: String(error.code) }));
    req.end(body);
  });
}

/** Sends `count` requests made by `make(i)`, 32 at a time; `expect(status, i)` says which answers are right. */
async function phase(name, count, make, expect) {
  const started = Date.now();
  let next = 0;
  const counts = new Map();
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const [method, path, options] = await make(i);
      const res = await send(method, path, options);
      sent += 1;
      counts.set(res.status, (counts.get(res.status) ?? 0) + 1);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status >= 500 || res.status === 0) problems.push(`${name}: ${res.status} ${res.text.slice(0, 120)}`);
      else if (!expect(res.status, i)) problems.push(`${name}: unexpected ${res.status} ${res.text.slice(0, 120)}`);
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
  console.log(
    `${name.padEnd(58)} ${String(count).padStart(6)} requests  ${[...counts].map(([s, n]) => `${s}×${n}`).join(' ')}  ${Date.now() - started} ms`,
  );
}

async function signed(filename) {
  const res = await send('POST', '/upload-url', { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ filename }) });
  sent += 1;
  if (res.status !== 200) throw new Error(`signing failed: ${res.status} ${res.text}`);
  const signedUrl = new URL(JSON.parse(res.text).url);
  return `${signedUrl.pathname}${signedUrl.search}`;
}

async function memory() {
  server.stdin.write('mem\n');
  return reply();
}

const share = (part) => Math.max(1, Math.round(total * part));

// Warm-up: the same kinds of requests, so that what is measured afterwards is growth, not first use.
const victim = await signed('warm.bin');
await phase(
  'warm-up: 1-byte chunked uploads',
  300,
  async (i) => ['PUT', await signed(`warm-${i}.bin`), { body: 'x', headers: { 'Content-Range': 'bytes 0-0/1' } }],
  (s) => s === 201,
);
void victim;
const before = await memory();

// 1. The retry-cache attack: trailing "=" on one signature, one 1-byte chunked upload each (used to grow without limit).
const base = await signed('padded.bin');
await phase(
  '1. non-canonical signature padding (1-byte chunks)',
  share(0.3),
  async (i) => ['PUT', `${base}${'='.repeat(2 + (i % 500))}`, { body: 'x', headers: { 'Content-Range': 'bytes 0-0/1' } }],
  (s) => s === 403,
);

// 2. Completed uploads through fresh URLs: each is remembered for retries, but no more than the cap.
await phase(
  '2. 1-byte chunked uploads through fresh URLs',
  share(0.2),
  async (i) => ['PUT', await signed(`many-${i % 3000}.bin`), { body: 'x', headers: { 'Content-Range': 'bytes 0-0/1' } }],
  (s) => s === 201,
);

// 3. One URL, a new total each time: it holds one session, never the whole cap.
const hog = await signed('hog.bin');
await phase(
  '3. one URL, many totals',
  share(0.15),
  async (i) => ['PUT', hog, { body: 'x', headers: { 'Content-Range': `bytes 0-0/${2 + i}` } }],
  (s) => s === 202 || s === 409,
); // 409: its session was replaced by the next total while this chunk arrived
const after3 = await send('PUT', await signed('after-hog.bin'), { body: 'x', headers: { 'Content-Range': 'bytes 0-0/2' } });
if (after3.status !== 202) problems.push(`3: another upload after the one-URL flood got ${after3.status}`);

// 4. Range abuse: totals past the cap, malformed ranges, bodies longer than their range.
const ranged = await signed('range.bin');
const badRanges = [`bytes 0-0/${2 ** 46}`, 'bytes 5-2/10', 'bytes 0-10/10', 'bytes */10', 'items 0-1/2', 'bytes 0-0/99999999999999999'];
await phase(
  '4. Content-Range abuse',
  share(0.1),
  async (i) => ['PUT', ranged, { body: 'xx', headers: { 'Content-Range': badRanges[i % badRanges.length] } }],
  (s) => s === 400 || s === 413,
);

// 5. Path traversal in every spelling, forged and replayed signatures.
const paths = ['/../etc/passwd', '/%2e%2e/x', '/a/%2F../b', '/.itty-uploader/records/x', '/a%00b', '/CON', '/a\\b', '/%c0%ae%c0%ae/x'];
await phase(
  '5. traversal and forged signatures',
  share(0.1),
  async (i) => ['PUT', `${paths[i % paths.length]}?expiry=9999999999&method=put&signature=${'A'.repeat(43)}`, { body: 'x' }],
  (s) => s === 400 || s === 403 || s === 404,
);

// 6. Oversized and malformed JSON at the signing endpoint and the ittybit API.
await phase(
  '6. oversized and malformed JSON',
  share(0.1),
  async (i) => [
    'POST',
    i % 2 ? '/upload-url' : '/signatures',
    {
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer dev-key' },
      body: i % 3 ? '{"filename":' : `{"filename":"${'a'.repeat(70_000)}"}`,
    },
  ],
  (s) => s === 400 || s === 413,
);

// 7. Hostile hosts and origins (DNS rebinding, other sites).
await phase(
  '7. foreign Host and Origin headers',
  share(0.05),
  async (i) => [
    'POST',
    '/upload-url',
    {
      headers: { 'Content-Type': 'application/json', ...(i % 2 ? { Host: 'rebind.evil.example' } : { Origin: 'https://evil.example' }) },
      body: '{"filename":"a.txt"}',
    },
  ],
  (s) => s === 403,
);

// 8. Slow bodies: 100 uploads trickling one byte, held open while real uploads go on; each is cut off (408).
const slow = Array.from({ length: 100 }, async (_, i) => {
  const path = await signed(`slow-${i}.bin`);
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, method: 'PUT', path, agent: false, headers: { 'Content-Length': '1000000' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', () => resolve(0));
    req.write('x');
  });
});
await phase(
  '8. real uploads while 100 bodies trickle',
  50,
  async (i) => ['PUT', await signed(`real-${i}.txt`), { body: 'hello' }],
  (s) => s === 201,
);
const slowAnswers = await Promise.all(slow);
sent += slowAnswers.length;
const cut = slowAnswers.filter((status) => status === 408).length;
console.log(`${'8. trickling bodies cut off with 408'.padEnd(58)} ${String(slowAnswers.length).padStart(6)} requests  408×${cut}`);
if (cut !== slowAnswers.length)
  problems.push(`8: ${slowAnswers.length - cut} trickling bodies were not answered 408 (${slowAnswers.join(',')})`);

// 9. Status probes (an itty-uploader extension): they answer what is held and never open a session.
const probed = await signed('probed.bin');
await phase(
  '9. status probes, many totals, some with a body',
  share(0.1),
  async (i) => [
    'PUT',
    i % 4 ? probed : await signed(`probe-${i % 500}.bin`),
    { body: i % 7 ? '' : 'x', headers: { 'Content-Range': `bytes */${1 + (i % 1000)}` } },
  ],
  (s, i) => (i % 7 ? s === 308 : s === 400),
);
const afterProbes = await send('PUT', await signed('after-probes.bin'), { body: 'x', headers: { 'Content-Range': 'bytes 0-0/2' } });
if (afterProbes.status !== 202) problems.push(`9: a chunked upload after the probes got ${afterProbes.status}`);

// 10. The files API without the key, and with it but hostile bodies (issue 20).
await phase(
  '10. /files/<id> GET, PATCH, DELETE without or with bad input',
  share(0.1),
  async (i) => {
    const withKey = i % 3 === 0;
    const method = ['GET', 'PATCH', 'DELETE'][i % 3 === 0 ? 1 : i % 3];
    // Bodies the server reads whole (a body it refuses unread could reset the connection under the client's feet).
    const body =
      method === 'PATCH' ? (i % 2 ? `{"metadata":{"${'k'.repeat(40)}":"x"}}` : `{"metadata":{"a":"${'v'.repeat(100_000)}"}}`) : undefined;
    return [
      method,
      `/files/file_${String(i % 1000).padStart(12, '0')}`,
      { headers: withKey ? { Authorization: 'Bearer dev-key' } : {}, body },
    ];
  },
  (s, i) => (i % 3 === 0 ? s === 400 : s === 401),
);

const afterAll = await memory();
server.stdin.write('quit\n');
await once(server, 'exit');
// Sessions stay on disk when the server stops (a restart continues them), but never more than --max-sessions,
// and never a journal without its data file.
const internal = join(dir, '.itty-uploader');
const journals = (await readdir(join(internal, 'sessions'))).filter((name) => name.endsWith('.jsonl'));
const parts = new Set(await readdir(join(internal, 'chunks')));
console.log(
  `${'sessions left on disk for a restart'.padEnd(58)} ${String(journals.length).padStart(6)} journals, ${parts.size} data files`,
);
if (journals.length > 50) problems.push(`${journals.length} session journals on disk, more than --max-sessions 50`);
for (const name of journals) if (!parts.has(name.replace(/\.jsonl$/, '.part'))) problems.push(`journal ${name} has no data file`);
await rm(dir, { recursive: true, force: true });

const growth = (afterAll.heap - before.heap) / 1024 ** 2;
console.log(
  `\n${sent} requests; server heap after warm-up ${(before.heap / 1024 ** 2).toFixed(1)} MB, after the attack ${(afterAll.heap / 1024 ** 2).toFixed(1)} MB (${growth >= 0 ? '+' : ''}${growth.toFixed(1)} MB); rss ${(afterAll.rss / 1024 ** 2).toFixed(0)} MB`,
);
console.log(
  `answers: ${[...statuses]
    .sort(([a], [b]) => a - b)
    .map(([s, n]) => `${s}×${n}`)
    .join(' ')}`,
);
if (growth > 24) problems.push(`heap grew by ${growth.toFixed(1)} MB`);
for (const problem of problems.slice(0, 20)) console.error(`✖ ${problem}`);
if (problems.length > 20) console.error(`… and ${problems.length - 20} more`);
console.log(problems.length === 0 ? '1 passed, 0 failed' : `0 passed, 1 failed (${problems.length} problems)`);
process.exit(problems.length === 0 ? 0 : 1);
