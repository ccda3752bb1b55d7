/**
 * npm run bench <name> [-- options]: runs one benchmark script from this folder.
 * Each prints its figures as ratios against a named baseline on the same data in one run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

const here = import.meta.dirname;
const benches: Record<string, string> = {
  engine: 'engine-vs-postgis.ts',
  sync: 'sync-throughput.ts',
  owners: 'owner-lookup.ts',
  gml: 'gml-reader.ts',
  extension: '../../test/e2e/extension-bench.ts',
  kommuner: '../../test/e2e/kommuner-bench.ts',
};
const [name, ...args] = process.argv.slice(2);
const available = Object.entries(benches).filter(([, file]) => existsSync(path.join(here, file)));
if (!name || !benches[name] || !existsSync(path.join(here, benches[name]!))) {
  console.error(`usage: npm run bench <${available.map(([n]) => n).join('|')}> [-- options]`);
  console.error(`scripts here: ${readdirSync(here).join(', ')}`);
  process.exit(1);
}
if (name === 'engine') spawnSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(here, benches[name]!), ...args], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
