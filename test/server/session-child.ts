// The upload server in a process of its own, for sessions.test.ts to kill with SIGKILL and start again.
// Prints {"port": n} once listening. DIR, KEY and SESSION_TTL come from the environment.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createUploadServer } from '../../src/server/upload-server.js';

const handler = createUploadServer({
  key: process.env['KEY']!,
  dir: process.env['DIR']!,
  ...(process.env['SESSION_TTL'] ? { sessionTtl: Number(process.env['SESSION_TTL']) } : {}),
  onError: (error) => console.error(error),
});
const server = createServer(handler);
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: (server.address() as AddressInfo).port })));
