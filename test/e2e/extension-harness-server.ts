import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';
import { build, type Plugin } from 'esbuild';
import { startServer, type TestServer } from '../helpers/http-server.js';
import type { GeneratedBase } from './extension-lots.js';

const HARNESS_ENTRY = fileURLToPath(new URL('../extension/harness/harness.tsx', import.meta.url));

/** CSS imports become a <style> tag, as Airtable's own esbuild bundler for `block run` does them. */
const inlineCss: Plugin = {
  name: 'inline-css',
  setup(b) {
    b.onLoad({ filter: /\.css$/ }, async (args) => ({
      loader: 'js',
      contents:
        `const style = document.createElement('style');\n` +
        `style.textContent = ${JSON.stringify(await readFile(args.path, 'utf8'))};\n` +
        'document.head.appendChild(style);\n',
    }));
  },
};

/**
 * Bundles the harness with the options of @airtable/blocks-esbuild-bundler (IIFE, automatic JSX
 * runtime, the SDK's browser targets, inlined CSS) in production mode, as `block release` ships.
 */
export async function buildHarness(): Promise<string> {
  const result = await build({
    entryPoints: [HARNESS_ENTRY],
    bundle: true,
    write: false,
    format: 'iife',
    target: ['chrome91', 'firefox94', 'safari14.1', 'edge107'],
    jsx: 'automatic',
    minify: true,
    legalComments: 'none',
    define: { 'process.env.NODE_ENV': '"production"' },
    plugins: [inlineCss],
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

/** A 256 × 256 PNG in a pale topo colour with a faint border, so tiles show in a screenshot. */
export function tilePng(): Buffer {
  const size = 256;
  const raw = Buffer.alloc((size * 3 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 3 + 1)] = 0; // filter type: none
    for (let x = 0; x < size; x++) {
      const edge = x === 0 || y === 0;
      const o = y * (size * 3 + 1) + 1 + x * 3;
      raw[o] = edge ? 214 : 236;
      raw[o + 1] = edge ? 222 : 240;
      raw[o + 2] = edge ? 206 : 228;
    }
  }
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export interface HarnessServer extends TestServer {
  tileRequests: string[];
}

/** Serves the harness page, its bundle, the generated base and a local stand-in for the tiles. */
export async function serveHarness(bundle: string, base: GeneratedBase): Promise<HarnessServer> {
  const tile = tilePng();
  const tileRequests: string[] = [];
  let fixture = Buffer.alloc(0);
  const page = `<!doctype html><html lang="nb"><head><meta charset="utf-8"><title>Tomtekart</title><link rel="icon" href="data:,"></head>
<body><div id="root"></div><script src="/bundle.js"></script></body></html>`;
  const server = await startServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const send = (type: string, body: string | Buffer) => {
      res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (path === '/') return send('text/html; charset=utf-8', page);
    if (path === '/bundle.js') return send('text/javascript; charset=utf-8', bundle);
    if (path === '/fixture.json') return send('application/json', fixture);
    if (/^\/tiles\/\d+\/\d+\/\d+\.png$/.test(path)) {
      tileRequests.push(path);
      return send('image/png', tile);
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  });
  // Kartverket's template with the host swapped: {z}/{y}/{x}, as the real cache orders them.
  const tileUrl = `${server.url}/tiles/{z}/{y}/{x}.png`;
  fixture = Buffer.from(JSON.stringify({ ...base, tileUrl }));
  return { ...server, tileRequests };
}

export { launchChromium } from '../helpers/chromium.js';
