// A tiny static file server on 127.0.0.1 for e2e tests, with the headers a strict page would send.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, normalize, resolve } from 'node:path';

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm',
  '.json': 'application/json', '.css': 'text/css', '.png': 'image/png' };

/**
 * Serves `mounts` ({ '/dist/': dir, '/': dir }) and resolves to { url, close }; `onServe(path, bytes)` is told
 * of every file served (to count the bytes a page fetches).
 */
export function serveStatic(mounts, headers = {}, { onServe } = {}) {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (path === '/favicon.ico') { res.writeHead(204).end(); return; } // browsers ask for it unprompted
    const prefix = Object.keys(mounts).filter((p) => path.startsWith(p)).sort((a, b) => b.length - a.length)[0];
    const base = resolve(mounts[prefix]);
    const file = resolve(base, normalize(path.slice(prefix.length)) || 'index.html');
    if (!file.startsWith(base)) { res.writeHead(403).end(); return; }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', ...headers });
      res.end(body);
      onServe?.(path, body.length);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => {
    ok({ url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((done) => server.close(done)) });
  }));
}
