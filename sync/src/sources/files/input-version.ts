import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { SourceRegistry } from '../source-registry.js';

const PARTS = ['kommuneplan', 'reguleringsplan', 'parcels'] as const;

/**
 * A cheap version of a kommune's plan and parcel files: every file's path, size and modification
 * time (folders walked), without reading them. Null when a part comes from anything but files
 * (an API answers only by being asked), so such a kommune is always read.
 */
export function fileInputVersion(registry: SourceRegistry, kommunenummer: string): string | null {
  const hash = createHash('sha256');
  for (const part of PARTS) {
    const config = registry.configOf(registry.choose(kommunenummer, part));
    if (config.type !== 'files' || !config[part]) return null;
    const file = config[part].replace(/\{kommunenummer\}/g, kommunenummer);
    hash.update(`${part}\n`);
    for (const entry of statsOf(file)) hash.update(`${entry}\n`);
  }
  return hash.digest('hex');
}

/** `path size mtime` of a file, or of every file under a folder (sorted); a missing path is its own entry. */
export function statsOf(file: string): string[] {
  let stat;
  try {
    stat = statSync(file);
  } catch {
    return [`${file} missing`];
  }
  if (!stat.isDirectory()) return [`${file} ${stat.size} ${stat.mtimeMs}`];
  return readdirSync(file)
    .sort()
    .flatMap((name) => statsOf(path.join(file, name)));
}
