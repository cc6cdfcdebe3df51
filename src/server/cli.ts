import { mkdir, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { parseSize } from '../core/units.js';
import { LOCALHOST_ORIGINS } from './cors.js';
import { createTryPage } from './try-page.js';
import { createUploadServer, type UploadServerHandler, type UploadServerOptions } from './upload-server.js';

export const USAGE = `Usage: itty-uploader serve [options]

Starts an ittybit-compatible upload server: signed PUT uploads (single and chunked),
POST /upload-url (signing endpoint), POST /signatures (ittybit API), GET /files/<id>,
and a page to try the element at GET /.

Options:
  --dir <path>            folder to store uploads in (default ./uploads)
  --port <n>              port to listen on (default 8787; 0 picks a free one)
  --host <host>           interface to listen on (default 127.0.0.1)
  --key <key>             API key (default $ITTYBIT_API_KEY, else "dev-key")
  --max-size <size>       largest file, as the element's max-size: 100MB, 1.5GiB, 2k or bytes
                          (default: no limit; chunked uploads at most 64 GiB)
  --origin <origin>       allowed CORS origin, e.g. https://app.example or http://localhost:*;
                          repeat for more; "*" for any (default: localhost, 127.0.0.1 and [::1], any port)
  --allowed-host <name>   host name requests may use; repeat for more; "*" for any
                          (default: localhost, 127.0.0.1, [::1], --host and --public-url's host)
  --base-path <path>      URL path where files are stored (default /)
  --sign-path <path>      path of the signing endpoint (default /upload-url)
  --public-url <url>      origin clients reach the server at (default: the address it listens on;
                          with --host 0.0.0.0 or ::, the request's Host, if allowed)
  --max-sessions <n>      chunked uploads open at once (default 100; one per signed URL)
  --session-ttl <time>    idle time before an unfinished chunked upload is dropped: 90s, 30m, 1h
                          (default 1h; 5m for one that received under 1 MiB)
  --max-connections <n>   connections at once (default 256)
  --min-body-rate <size>  slowest upload body accepted, per 30 s (default 1k; 0 turns it off)
  --processing <time>     new File objects say "processing" for this long, then "ready" (e.g. 10s),
                          to develop a status endpoint locally
  -h, --help              show this help
`;

/** A usage mistake: the message is meant for the person at the terminal. */
export class CliError extends Error {}

export interface CliIO {
  out: (text: string) => void;
  env: Record<string, string | undefined>;
}

export interface RunningServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/**
 * A size as the element's `max-size` reads it (core's `parseSize`): `100MB` (decimal), `1.5GiB` (binary),
 * `2k`, or a plain number of bytes. `option` names the flag in the error.
 */
export function parseByteSize(text: string, option = '--max-size'): number {
  const size = parseSize(text);
  if (size === undefined) throw new CliError(`${option}: cannot read "${text}" (try 100MB, 1.5GiB or 2k)`);
  return Math.floor(size);
}

/** `90s`, `30m`, `1h`, `500ms` or a number of seconds, in milliseconds. */
export function parseDuration(text: string, option: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/i.exec(text);
  if (!match) throw new CliError(`${option}: cannot read "${text}" (try 90s, 30m or 1h)`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(match[2] ?? 's').toLowerCase() as 'ms' | 's' | 'm' | 'h'];
  const ms = Math.round(Number(match[1]) * unit);
  if (ms < 1) throw new CliError(`${option}: must be more than 0`);
  return ms;
}

function parseCount(text: string, option: string): number {
  if (!/^\d{1,9}$/.test(text.trim())) throw new CliError(`${option}: "${text}" is not a whole number`);
  return Number(text);
}

const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];
const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]', '']);

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) throw new CliError(`--port: "${text}" is not a port number`);
  return port;
}

/**
 * Runs the CLI: `itty-uploader serve …`. Resolves with the running server, or undefined after `--help`.
 * Throws a `CliError` for bad arguments.
 */
export async function main(
  argv: readonly string[] = process.argv.slice(2),
  io: CliIO = { out: (text) => process.stdout.write(text), env: process.env },
): Promise<RunningServer | undefined> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        dir: { type: 'string', default: './uploads' },
        port: { type: 'string', default: '8787' },
        host: { type: 'string', default: '127.0.0.1' },
        key: { type: 'string' },
        'max-size': { type: 'string' },
        origin: { type: 'string', multiple: true },
        'base-path': { type: 'string' },
        'sign-path': { type: 'string' },
        'public-url': { type: 'string' },
        'allowed-host': { type: 'string', multiple: true },
        'max-sessions': { type: 'string' },
        'session-ttl': { type: 'string' },
        'max-connections': { type: 'string' },
        'min-body-rate': { type: 'string' },
        processing: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) {
    io.out(USAGE);
    return undefined;
  }
  if (positionals[0] !== 'serve' || positionals.length > 1) throw new CliError(`Unknown command "${positionals.join(' ')}". ${USAGE}`);

  // An empty variable (`ITTYBIT_API_KEY=` in a .env file) is unset, not an empty key.
  const key = values.key ?? (io.env['ITTYBIT_API_KEY'] || 'dev-key');
  const listenPort = parsePort(values.port);
  const wildcard = WILDCARD_HOSTS.has(values.host);
  const hostLiteral = values.host.includes(':') ? `[${values.host}]` : values.host;
  const allowedHosts = values['allowed-host']?.includes('*')
    ? ('*' as const)
    : [...LOOPBACK_HOSTS, ...(wildcard ? [] : [hostLiteral]), ...(values['allowed-host'] ?? [])];
  const rate = values['min-body-rate'] === undefined ? 1024 : parseByteSize(values['min-body-rate'], '--min-body-rate');
  const options: UploadServerOptions = {
    key,
    dir: values.dir,
    ...(values['max-size'] !== undefined ? { maxSize: parseByteSize(values['max-size']) } : {}),
    // Safe on a laptop: pages on other sites may not upload here unless named (and never get private-network access).
    allowedOrigins: values.origin ?? LOCALHOST_ORIGINS,
    allowedHosts,
    ...(values['base-path'] !== undefined ? { basePath: values['base-path'] } : {}),
    ...(values['sign-path'] !== undefined ? { signPath: values['sign-path'] } : {}),
    ...(values['public-url'] !== undefined ? { publicUrl: values['public-url'] } : {}),
    ...(values['max-sessions'] !== undefined ? { maxSessions: parseCount(values['max-sessions'], '--max-sessions') } : {}),
    ...(values['session-ttl'] !== undefined ? { sessionTtl: parseDuration(values['session-ttl'], '--session-ttl') } : {}),
    minBodyRate: rate === 0 ? false : { bytes: rate, ms: 30_000 },
    ...(values.processing !== undefined ? { processing: { ms: parseDuration(values.processing, '--processing') } } : {}),
  };
  const maxConnections = values['max-connections'] === undefined ? 256 : parseCount(values['max-connections'], '--max-connections');
  let handler: UploadServerHandler;
  try {
    handler = createUploadServer(options);
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError((error as Error).message);
  }

  // The server creates its folder on first use: a --dir it cannot use would only show as a 500 on every upload.
  try {
    await mkdir(values.dir, { recursive: true });
    if (!(await stat(values.dir)).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(
      `--dir: cannot store uploads in "${values.dir}" (${code === 'ENOTDIR' || code === 'EEXIST' ? 'not a folder' : (code ?? error)})`,
    );
  }

  // As the server resolves it: without trailing slashes, and '/' or '' mean the default.
  const signPath = (values['sign-path'] ?? '').replace(/\/+$/, '') || '/upload-url';
  let tryPage = createTryPage({ signPath, allowedHosts });
  // The try page first: it owns only `/` and `/.itty/…`, which are never storage paths.
  const server = createServer((req, res) => tryPage(req, res) || handler(req, res));
  // Node's default 5-minute limit per request would cut off a large upload on a slow link. Slow bodies are cut
  // by minBodyRate instead; headers must arrive within 30 s, an idle socket times out after two minutes, and
  // connections are capped (each holds a socket and, while uploading, a file).
  server.requestTimeout = 0;
  server.headersTimeout = 30_000;
  server.setTimeout(120_000);
  server.maxConnections = maxConnections;
  await new Promise<void>((resolve, reject) => {
    // A busy port is a usage mistake to tell the person at the terminal, not a crash with a stack trace.
    const onError = (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE')
        reject(new CliError(`--port: port ${listenPort} on ${values.host} is in use; choose another, or 0 for any free one`));
      else if (error.code === 'EACCES') reject(new CliError(`--port: not allowed to listen on port ${listenPort}; choose one above 1023`));
      else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND')
        reject(new CliError(`--host: cannot listen on "${values.host}"`));
      else reject(error);
    };
    server.once('error', onError);
    server.listen(listenPort, values.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${hostLiteral}:${port}`;
  // Signed URLs name the address the server listens on, not whatever Host a request claims.
  if (values['public-url'] === undefined && !wildcard) handler = createUploadServer({ ...options, publicUrl: url });
  // The page's previews and uploads go to the public address, which may not be the name the page was opened under.
  const publicUrl = values['public-url'] ?? (wildcard ? undefined : url);
  if (publicUrl !== undefined) tryPage = createTryPage({ signPath, allowedHosts, publicOrigin: new URL(publicUrl).origin });
  // Listening on every interface: the page opens on loopback (a browser refuses to load 0.0.0.0, and `::`
  // is no host name), which the Host check allows.
  const tryUrl = wildcard ? `http://${values.host.includes(':') ? '[::1]' : '127.0.0.1'}:${port}/` : `${url}/`;
  io.out(
    `itty-uploader: serving ${values.dir} at ${url}\n` +
      `  try it            ${tryUrl}\n` +
      `  signing endpoint  POST ${url}${signPath}\n` +
      `  ittybit API       POST ${url}/signatures  (Authorization: Bearer <key>)\n` +
      (values.origin ? '' : '  origins           localhost, 127.0.0.1 and [::1] only (--origin to allow others)\n') +
      (key === 'dev-key' ? '  key               "dev-key" (set --key or ITTYBIT_API_KEY)\n' : ''),
  );
  return {
    url,
    server,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await handler.close();
    },
  };
}
