import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { folderOf, importsOf, REPO, resolveRelative, sourceFiles, SRC } from './source-graph.js';

/**
 * The floors of sync/src, lowest first (docs/architecture.md draws them). A folder may import
 * its own files and folders on lower floors only: never a higher floor, never a sibling on its
 * own floor. A new folder must be given a floor here.
 */
const FLOORS: string[][] = [
  ['util'],
  ['config', 'domain'],
  ['geo', 'net'],
  ['lot-record', 'sources', 'engine'],
  ['scoring', 'presentation', 'export'],
  ['store'],
  ['crm'],
  ['jobs', 'server'],
  ['app'],
  ['cli'],
];
const floorOf = new Map(FLOORS.flatMap((folders, floor) => folders.map((f) => [f, floor] as const)));

/** What must never reach the extension bundle: Node built-ins and server-side libraries. */
const NOT_IN_BROWSER =
  /^(node:|better-sqlite3$|undici$|express$|geos-wasm$|proj4$|node-cron$|p-queue$|saxes$|yauzl$|@turf\/turf$)/;

interface Edge {
  file: string;
  specifier: string;
  from: string;
  to: string;
}

const files = sourceFiles(SRC);
const edges: Edge[] = files.flatMap((file) =>
  importsOf(file)
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => ({
      file: path.relative(REPO, file),
      specifier,
      from: folderOf(file),
      to: folderOf(resolveRelative(file, specifier)),
    })),
);

function wrongWay(list: Edge[]): string[] {
  return list
    .filter((e) => e.from !== e.to && !(floorOf.get(e.to)! < floorOf.get(e.from)!))
    .map((e) => `${e.file} (${e.from}) imports ${e.specifier} (${e.to})`);
}

/** Every module an entry reaches through relative imports, with the packages each imports. */
function reachable(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const queue = [entry];
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    const specifiers = importsOf(file);
    seen.set(
      file,
      specifiers.filter((s) => !s.startsWith('.')),
    );
    for (const s of specifiers) if (s.startsWith('.')) queue.push(resolveRelative(file, s));
  }
  return seen;
}

describe('architecture: imports run one way', () => {
  it('places every folder of sync/src on a floor', () => {
    const folders = [...new Set(files.map(folderOf))].filter((f) => !f.endsWith('.ts'));
    expect(folders.filter((f) => !floorOf.has(f))).toEqual([]);
  });

  it('has no import from a lower floor to a higher one or between siblings, so no folder loop', () => {
    expect(edges.length).toBeGreaterThan(500);
    expect(wrongWay(edges)).toEqual([]);
  });

  it('would catch an upward or sideways import', () => {
    const edge = (from: string, to: string): Edge => ({
      file: `sync/src/${from}/x.ts`,
      specifier: to,
      from,
      to,
    });
    expect(
      wrongWay([edge('presentation', 'crm'), edge('jobs', 'server'), edge('sources', 'scoring')]),
    ).toHaveLength(3);
    expect(wrongWay([edge('crm', 'presentation'), edge('app', 'jobs')])).toEqual([]);
  });

  it('gives the extension browser-safe modules only (its entry points in sync/package.json)', () => {
    const exported = (
      JSON.parse(readFileSync(path.join(REPO, 'sync/package.json'), 'utf8')) as {
        exports: Record<string, string>;
      }
    ).exports;
    expect(Object.keys(exported).length).toBeGreaterThan(2);
    for (const [entry, target] of Object.entries(exported))
      for (const [module, packages] of reachable(path.join(REPO, 'sync', target)))
        for (const pkg of packages)
          expect(
            NOT_IN_BROWSER.test(pkg),
            `${entry} reaches ${path.relative(SRC, module)}, which imports ${pkg}`,
          ).toBe(false);
  });
});
