import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';

// Pages served beside the API: the front-desk display and the one library it loads.
// A fixed table, not a folder: nothing outside it can be asked for.

const publicDir = (name: string) => fileURLToPath(new URL(`../../public/${name}`, import.meta.url));
const require = createRequire(import.meta.url);

const PAGES: Record<string, { file: () => string; type: string }> = {
  '/desk': { file: () => publicDir('desk/index.html'), type: 'text/html; charset=utf-8' },
  '/desk/desk.js': { file: () => publicDir('desk/desk.js'), type: 'text/javascript; charset=utf-8' },
  '/desk/desk.css': { file: () => publicDir('desk/desk.css'), type: 'text/css; charset=utf-8' },
  // graphql-ws's browser build; its package exports don't list it, so find it beside package.json.
  '/desk/vendor/graphql-ws.js': {
    file: () => require.resolve('graphql-ws/package.json').replace(/package\.json$/, 'umd/graphql-ws.min.js'),
    type: 'text/javascript; charset=utf-8',
  },
};

/** Answers a request for one of the pages; false when the path is not one of them. */
export async function servePage(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const path = (req.url ?? '').split('?')[0].replace(/\/$/, '') || '/';
  const page = PAGES[path];
  if (!page || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
  let body: Buffer;
  try {
    body = await readFile(page.file());
  } catch {
    res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('This page is missing from the installation.');
    return true;
  }
  res.writeHead(200, {
    'content-type': page.type,
    'content-length': body.length,
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
    // The display talks only to this server, over HTTP and WebSocket.
    'content-security-policy': "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; style-src 'self'",
  });
  res.end(req.method === 'HEAD' ? undefined : body);
  return true;
}
