// S3 multipart in the browser (issue 18): a file of SIZE bytes (1 GiB; sparse, made for the run, never committed) sent to
// an S3-compatible store (s3rver behind the SigV4-verifying front of test/helpers/s3-node.ts) through the app's endpoint
// `createS3Uploads`, by <itty-uploader> and by a raw-XHR baseline that sends the same parts (64 MiB) with the same
// parallelism, sides alternating in the same run. Also the element's JS heap growth during the upload.
// The section serves its own page and endpoint (one origin), and the store is on another origin with a CORS rule that
// exposes ETag, as a real bucket has.
import { build } from 'esbuild';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwsClient } from 'aws4fetch';
import { createS3Uploads } from '../../src/server/s3.js';
import { ACCESS_KEY, SECRET_KEY, startS3Node } from '../../test/helpers/s3-node.js';
import type { MultipartRun } from '../pages/multipart.js';
import { freshPage } from '../lib/browser.js';
import { MIB, PARALLEL, RUNS, SIZE, log, mbps, mib, root, sleep } from '../lib/config.js';
import { section, type Row } from '../lib/section.js';
import { fixed, range, summarize, type Summary } from '../lib/stats.js';

const GOALS = {
  /** Median of paired ratios <itty-uploader> multipart / raw XHR multipart. */
  ratio: 0.9,
  /** Worst JS heap growth of the element during the upload. */
  heapBytes: 8e6,
};
const PART = 64 * MIB;
const BUCKET = 'bench';
const CORS = `<CORSConfiguration><CORSRule><AllowedOrigin>http://127.0.0.1:*</AllowedOrigin><AllowedMethod>PUT</AllowedMethod><AllowedHeader>*</AllowedHeader><ExposeHeader>ETag</ExposeHeader></CORSRule></CORSConfiguration>`;

type Side = 'raw' | 'itty';

export interface MultipartData {
  size: number;
  partSize: number;
  parallel: number;
  runs: Record<Side, MultipartRun[]>;
  speed: Record<Side, Summary>;
  ratio: Summary;
  heap: Record<Side, Summary>;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export default section<MultipartData>({
  name: 'multipart',
  describe: () => `multipart: ${mib(SIZE)} to an S3-compatible store, parts of ${mib(PART)} × ${PARALLEL} in flight, ${RUNS} runs per side`,
  async measure(context) {
    const work = await mkdtemp(join(tmpdir(), 'itty-bench-multipart-'));
    // Sparse: 1 GiB of zeros that take no disk and read fast (the store hashes and writes every byte all the same).
    const sourcePath = join(work, 'itty-multipart.bin');
    const handle = await open(sourcePath, 'w');
    await handle.truncate(SIZE);
    await handle.close();

    const store = await startS3Node(BUCKET, { cors: CORS });
    const endpoint = createS3Uploads({
      bucket: BUCKET,
      region: 'us-east-1',
      endpoint: store.endpoint,
      credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY },
      multipartThreshold: 5 * MIB,
      partSize: PART,
    });
    const client = new AwsClient({ accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY, service: 's3', region: 'us-east-1', retries: 0 });
    const objectUrl = (key: string) => `${store.endpoint}/${BUCKET}/${key.split('/').map(encodeURIComponent).join('/')}`;

    const bundled = await build({
      entryPoints: [join(root, 'bench/pages/multipart.ts')],
      bundle: true,
      format: 'esm',
      target: 'es2022',
      minify: true,
      write: false,
      tsconfig: join(root, 'tsconfig.json'),
      logLevel: 'error',
      define: { 'process.env.NODE_ENV': '"production"' },
    });
    const script = bundled.outputFiles[0]!.text;
    const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>itty-uploader bench: multipart</title></head>
<body><input type="file" id="source"><div id="mount"></div><script type="module" src="/bench/multipart.js"></script></body></html>`;
    const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
      const path = (req.url ?? '/').split('?')[0];
      if (req.method === 'GET' && (path === '/bench/multipart.html' || path === '/bench/multipart.js')) {
        res.writeHead(200, { 'Content-Type': path.endsWith('.js') ? 'text/javascript' : 'text/html; charset=utf-8' });
        return res.end(path.endsWith('.js') ? script : html);
      }
      if (req.method === 'POST' && path === '/upload') {
        const body = await readBody(req);
        const answer = await endpoint(
          new Request('http://bench.test/upload', {
            method: 'POST',
            headers: { 'Content-Type': String(req.headers['content-type'] ?? '') },
            body: new Uint8Array(body),
          }),
        );
        res.writeHead(answer.status, { 'Content-Type': 'application/json' });
        return res.end(await answer.text());
      }
      res.writeHead(404);
      res.end();
    });
    server.requestTimeout = 0;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    try {
      const page = await freshPage(await context.browser(), `${origin}/bench/multipart.html`);
      await page.setInputFiles('#source', sourcePath);
      const upload = async (side: Side): Promise<MultipartRun> => {
        await page.evaluate(() => window.multipartBench.gc());
        await sleep(200);
        const result = await page.evaluate(([side, parallel]) => window.multipartBench[side](parallel), [side, PARALLEL] as const);
        // The object is there whole; then it goes, so that the store holds one at a time.
        const head = await client.fetch(objectUrl(result.key), { method: 'HEAD' });
        const stored = Number(head.headers.get('content-length'));
        await client.fetch(objectUrl(result.key), { method: 'DELETE' });
        if (result.bytes !== SIZE || stored !== SIZE) throw new Error(`${side}: reported ${result.bytes} bytes, stored ${stored}`);
        const left = await store.uploadsInProgress();
        if (left.length) throw new Error(`${side}: ${left.length} multipart uploads left in progress`);
        return result;
      };
      // Warm-up, not counted.
      for (const side of ['itty', 'raw'] as Side[]) await upload(side);
      const runs: Record<Side, MultipartRun[]> = { raw: [], itty: [] };
      for (let run = 0; run < RUNS; run += 1) {
        for (const side of (run % 2 ? ['itty', 'raw'] : ['raw', 'itty']) as Side[]) {
          const result = await upload(side);
          runs[side].push(result);
          log(
            `  multipart ${side.padEnd(5)} ${fixed(mbps(SIZE, result.ms)).padStart(4)} MB/s  heap +${fixed(result.heap.growth / 1e6, 2)} MB`,
          );
        }
      }
      await page.close();
      const speed = (side: Side) => summarize(runs[side].map((r) => mbps(SIZE, r.ms)));
      return {
        size: SIZE,
        partSize: PART,
        parallel: PARALLEL,
        runs,
        speed: { raw: speed('raw'), itty: speed('itty') },
        ratio: summarize(runs.itty.map((r, i) => mbps(SIZE, r.ms) / mbps(SIZE, runs.raw[i]!.ms))),
        heap: { raw: summarize(runs.raw.map((r) => r.heap.growth)), itty: summarize(runs.itty.map((r) => r.heap.growth)) },
      };
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
      await rm(work, { recursive: true, force: true });
    }
  },
  rows(data): Row[] {
    const label = `${mib(data.partSize)} parts × ${data.parallel}`;
    return [
      { section: 'multipart', measure: `raw XHR, S3 multipart ${label} (MB/s)`, value: range(data.speed.raw) },
      { section: 'multipart', measure: `<itty-uploader>, S3 multipart ${label} (MB/s)`, value: range(data.speed.itty) },
      {
        section: 'multipart',
        measure: '  ratio itty / raw, multipart (paired runs)',
        value: range(data.ratio, 3),
        goal: `≥ ${GOALS.ratio}`,
        met: data.ratio.median >= GOALS.ratio,
        history: 'itty / raw, multipart',
      },
      {
        section: 'multipart',
        measure: `  JS heap growth during a ${mib(data.size)} multipart upload, <itty-uploader> (MB)`,
        value: range(
          { ...data.heap.itty, median: data.heap.itty.median / 1e6, min: data.heap.itty.min / 1e6, max: data.heap.itty.max / 1e6 },
          2,
        ),
        goal: `≤ ${GOALS.heapBytes / 1e6} MB`,
        met: data.heap.itty.max <= GOALS.heapBytes,
      },
      {
        section: 'multipart',
        measure: '  JS heap growth, raw XHR multipart (MB)',
        value: range(
          { ...data.heap.raw, median: data.heap.raw.median / 1e6, min: data.heap.raw.min / 1e6, max: data.heap.raw.max / 1e6 },
          2,
        ),
      },
    ];
  },
});
