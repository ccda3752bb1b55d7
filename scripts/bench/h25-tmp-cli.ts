import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { startKommuneinfoDouble } from '../../test/doubles/kommuneinfo/server.js';
const k = await startKommuneinfoDouble();
const dir = mkdtempSync('/tmp/h25-data-');
const t = performance.now();
const child = spawn(process.execPath, [...(process.env.H25_FLAGS ? process.env.H25_FLAGS.split(' ') : []), '--cpu-prof', '--cpu-prof-dir=/tmp/h25-prof', '/work/wt-13e/sync/bin/tomtejakt.js', 'run', '--kommune', '3207', '--json'], {
  env: { PATH: process.env.PATH!, HOME: process.env.HOME!, LOG_LEVEL: 'debug', DATA_DIR: dir, SOURCES_FILE: '/work/wt-13e/out/bench-engine/3207-600x420-50000/sources.json', KOMMUNEINFO_URL: k.url },
});
let buf = '';
child.stderr.on('data', (c) => { buf += c; const lines = buf.split('\n'); buf = lines.pop()!; for (const l of lines) console.log(((performance.now() - t) / 1000).toFixed(2), l.slice(0, 160)); });
child.stdout.on('data', () => undefined);
await new Promise((res) => child.on('exit', res));
console.log('wall', ((performance.now() - t) / 1000).toFixed(2));
await k.close();
