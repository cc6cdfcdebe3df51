// The app's side of the demo's edit form (demo/edit-form.ts), mounted by vite.config.ts: what an app's own server does
// around ittybit. `ittybit` is the API it talks to with its key: here the local upload server mounted under /edit,
// whose files are `processing` for a few seconds (its `processing` option), as ittybit's are while it analyses them.
//   GET    /api/edit/photos        the stored photos, for the form's `value`
//   POST   /api/edit/complete      the completion endpoint (`complete-endpoint`): the upload is the app's now
//   GET    /api/edit/status/<id>   the status endpoint (`status-endpoint`): asks ittybit, the key stays on the server
//   DELETE /api/edit/photos/<id>   deletes a stored photo (the page calls it on `itty-remove`)
//   PUT    /api/edit/photos        saves the form: the photos in their order
import { mkdirSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { IttyFile } from '../src/core/types.js';

type Next = (error?: unknown) => void;

const readJson = async (req: IncomingMessage): Promise<unknown> => {
  let text = '';
  for await (const chunk of req) text += chunk;
  return JSON.parse(text || 'null');
};

const send = (res: ServerResponse, status: number, body?: unknown) => {
  res.statusCode = status;
  if (body === undefined) return res.end();
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify(body));
};

/** Two photos stored before the demo starts: an edit form opens with them. */
function seed(dir: string, origin: string): IttyFile[] {
  const photos = [
    { name: 'dawn.svg', colors: ['#fde68a', '#f97316'] },
    { name: 'lake.svg', colors: ['#bae6fd', '#1d4ed8'] },
  ];
  mkdirSync(`${dir}/samples`, { recursive: true });
  return photos.map(({ name, colors }, i) => {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="200"><defs><linearGradient id="g" x2="0" y2="1"><stop offset="0" stop-color="${colors[0]}"/><stop offset="1" stop-color="${colors[1]}"/></linearGradient></defs><rect width="320" height="200" fill="url(#g)"/></svg>`;
    writeFileSync(`${dir}/samples/${name}`, svg);
    return {
      id: `file_sample00000${i + 1}`,
      kind: 'image',
      type: 'image/svg+xml',
      filesize: svg.length,
      filename: name,
      width: 320,
      height: 200,
      url: `${origin}/samples/${name}`,
      status: 'ready',
    };
  });
}

export function editEndpoints({ key, dir, mount = '/edit' }: { key: string; dir: string; mount?: string }) {
  // The app's database: its photos, in the order the form saved.
  let photos = seed(dir, `${mount}/uploads`);

  // The app asks ittybit with its key, on the server (never from the browser).
  const ittybit = (req: IncomingMessage, path: string, init: RequestInit = {}) =>
    fetch(`http://${req.headers.host}${mount}${path}`, { ...init, headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' } });

  return async (req: IncomingMessage, res: ServerResponse, next: Next) => {
    const path = req.url?.split('?')[0] ?? '';
    if (!path.startsWith('/api/edit/')) return next();
    try {
      if (path === '/api/edit/photos' && req.method === 'GET') return send(res, 200, photos);
      if (path === '/api/edit/photos' && req.method === 'PUT') {
        photos = (await readJson(req)) as IttyFile[];
        return send(res, 200, photos);
      }
      if (path === '/api/edit/complete' && req.method === 'POST') {
        // The upload is the app's now: keep its metadata at ittybit, and answer the File object it keeps.
        const { file, meta } = (await readJson(req)) as { file: IttyFile; meta?: Record<string, string> };
        const kept = await ittybit(req, `/files/${file.id}`, { method: 'PATCH', body: JSON.stringify({ metadata: meta ?? {} }) });
        return send(res, 200, { file: kept.ok ? await kept.json() : file });
      }
      const status = /^\/api\/edit\/status\/(file_\w+)$/.exec(path);
      if (status && req.method === 'GET') {
        const answer = await ittybit(req, `/files/${status[1]}`);
        return send(res, answer.status, await answer.json());
      }
      const photo = /^\/api\/edit\/photos\/(file_\w+)$/.exec(path);
      if (photo && req.method === 'DELETE') {
        photos = photos.filter((file) => file.id !== photo[1]);
        // The sample photos are not ittybit's: only uploaded ones are deleted there.
        if (!photo[1]!.startsWith('file_sample')) await ittybit(req, `/files/${photo[1]}`, { method: 'DELETE' });
        return send(res, 204);
      }
      return send(res, 404, { message: 'Not found' });
    } catch (error) {
      return send(res, 500, { message: String(error) });
    }
  };
}
