// Minimal static file server for the e2e harness.
//   node lib/serve.mjs <root-dir> <port> [host]
// - serves files below <root-dir>; a directory serves its index.html
//   (a directory URL without trailing slash gets a 301 to the slashed URL,
//   like GitHub Pages / most static hosts);
// - anything missing answers 404 with the body of /404.html (if present);
// - prints "listening http://HOST:PORT/" on stdout once ready.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.pdf': 'application/pdf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
};

export function contentType(file) {
  return TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
}

export function createServer(rootDir) {
  const root = path.resolve(rootDir);
  return http.createServer((req, res) => {
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('bad request');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const send = (status, file, extra = {}) => {
      const body = fs.readFileSync(file);
      res.writeHead(status, {
        'content-type': contentType(file),
        'content-length': body.length,
        'cache-control': 'max-age=600',
        ...extra,
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    const notFound = () => {
      const nf = path.join(root, '404.html');
      if (fs.existsSync(nf)) return send(404, nf, { 'cache-control': 'no-store' });
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('404 not found');
    };
    let file = path.join(root, pathname);
    if (file !== root && !file.startsWith(root + path.sep)) return notFound();
    let st;
    try { st = fs.statSync(file); } catch { return notFound(); }
    if (st.isDirectory()) {
      if (!pathname.endsWith('/')) {
        const u = new URL(req.url, 'http://x');
        res.writeHead(301, { location: u.pathname + '/' + u.search }).end();
        return;
      }
      file = path.join(file, 'index.html');
      try { st = fs.statSync(file); } catch { return notFound(); }
      if (!st.isFile()) return notFound();
    } else if (!st.isFile()) {
      return notFound();
    }
    try { send(200, file); } catch { notFound(); }
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [dir, portArg, host = '127.0.0.1'] = process.argv.slice(2);
  if (!dir || !fs.existsSync(dir)) {
    console.error(`serve.mjs: no such directory: ${dir}`);
    process.exit(2);
  }
  const server = createServer(dir);
  server.keepAliveTimeout = 30000;
  server.listen(Number(portArg || 0), host, () => {
    const { port } = server.address();
    console.log(`listening http://${host}:${port}/`);
  });
  const stop = () => { server.closeAllConnections?.(); server.close(); process.exit(0); };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
