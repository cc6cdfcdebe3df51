import { mkdir, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { parseSize } from '../core/units.js';
import { createUploadServer } from './upload-server.js';

export const USAGE = `Usage: itty-uploader serve [options]

Starts an ittybit-compatible upload server: signed PUT uploads (single and chunked),
POST /upload-url (signing endpoint), POST /signatures (ittybit API), GET /files/<id>.

Options:
  --dir <path>          folder to store uploads in (default ./uploads)
  --port <n>            port to listen on (default 8787; 0 picks a free one)
  --host <host>         interface to listen on (default 127.0.0.1)
  --key <key>           API key (default $ITTYBIT_API_KEY, else "dev-key")
  --max-size <size>     largest file, e.g. 100MB, 1.5GiB or bytes (default: no limit)
  --origin <origin>     allowed CORS origin; repeat for more (default: any)
  --base-path <path>    URL path where files are stored (default /)
  --sign-path <path>    path of the signing endpoint (default /upload-url)
  --public-url <url>    origin clients reach the server at (default: from the Host header)
  -h, --help            show this help
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
  let handler;
  try {
    handler = createUploadServer({
      key,
      dir: values.dir,
      ...(values['max-size'] !== undefined ? { maxSize: parseByteSize(values['max-size']) } : {}),
      ...(values.origin ? { allowedOrigins: values.origin } : {}),
      ...(values['base-path'] !== undefined ? { basePath: values['base-path'] } : {}),
      ...(values['sign-path'] !== undefined ? { signPath: values['sign-path'] } : {}),
      ...(values['public-url'] !== undefined ? { publicUrl: values['public-url'] } : {}),
    });
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
    throw new CliError(`--dir: cannot store uploads in "${values.dir}" (${code === 'ENOTDIR' || code === 'EEXIST' ? 'not a folder' : code ?? error})`);
  }

  const server = createServer(handler);
  // Node's default 5-minute limit per request would cut off a large upload on a slow link; an idle socket
  // still times out after two minutes.
  server.requestTimeout = 0;
  server.setTimeout(120_000);
  await new Promise<void>((resolve, reject) => {
    // A busy port is a usage mistake to tell the person at the terminal, not a crash with a stack trace.
    const onError = (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') reject(new CliError(`--port: port ${listenPort} on ${values.host} is in use; choose another, or 0 for any free one`));
      else if (error.code === 'EACCES') reject(new CliError(`--port: not allowed to listen on port ${listenPort}; choose one above 1023`));
      else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') reject(new CliError(`--host: cannot listen on "${values.host}"`));
      else reject(error);
    };
    server.once('error', onError);
    server.listen(listenPort, values.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = values.host.includes(':') ? `[${values.host}]` : values.host;
  const url = `http://${host}:${port}`;
  // As the server resolves it: without trailing slashes, and '/' or '' mean the default.
  const signPath = (values['sign-path'] ?? '').replace(/\/+$/, '') || '/upload-url';
  io.out(
    `itty-uploader: serving ${values.dir} at ${url}\n` +
      `  signing endpoint  POST ${url}${signPath}\n` +
      `  ittybit API       POST ${url}/signatures  (Authorization: Bearer <key>)\n` +
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
