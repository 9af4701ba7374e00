#!/usr/bin/env node
// Serves the built verify page (dist/) and a chain spec as /chain-spec.json on the loopback
// interface. Any path without a file extension (a GS1 Digital Link path such as
// /01/09506000134352/21/ABC123) gets the page, which reads what to verify from its URL.
// The server is not trusted: the page verifies everything it shows with its light client; the
// chain spec only tells it which chain (genesis) and which nodes to sync from.
//
//   node serve.mjs --spec <chain spec with bootNodes> [--port 8080]

import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.png': 'image/png',
};

/** The files of the built page (dist/): names of letters, digits, dots, dashes and underscores. */
const ASSET = /^\/(index\.html|main\.js|style\.css|viot_sdk_bg\.wasm|chunks\/[\w-]+\.js)$/;

/** Starts the server; resolves with `{ url, close() }`. `port` 0 picks a free port. */
export function serve({ spec, port = 8080, dist = join(dirname(fileURLToPath(import.meta.url)), 'dist') }) {
  const chainSpec = readFileSync(spec);
  const server = createServer((request, response) => {
    let path;
    try {
      path = decodeURIComponent(new URL(request.url, 'http://localhost').pathname);
    } catch {
      response.writeHead(400, { 'content-type': 'text/plain' }).end('bad request\n');
      return;
    }
    let body;
    let type;
    if (path === '/chain-spec.json') {
      [body, type] = [chainSpec, TYPES['.json']];
    } else {
      // The page's own files by name; every other path (a GS1 Digital Link such as
      // /01/09506000134352/21/A.1, whose serial may contain a dot) gets the page.
      const file = ASSET.test(path) ? path : '/index.html';
      try {
        body = readFileSync(join(dist, file));
        type = TYPES[extname(file)] ?? 'application/octet-stream';
      } catch {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
        return;
      }
    }
    response.writeHead(200, { 'content-type': type, 'cache-control': 'no-cache' }).end(body);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve({
      url: `http://127.0.0.1:${server.address().port}/`,
      close: () => new Promise((done) => server.close(done)),
    }));
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { spec: { type: 'string' }, port: { type: 'string', default: '8080' } } });
  if (!values.spec) {
    console.error('usage: node serve.mjs --spec <chain-spec.json> [--port 8080]');
    process.exit(2);
  }
  const { url } = await serve({ spec: values.spec, port: Number(values.port) });
  console.log(`verify page: ${url}`);
}
