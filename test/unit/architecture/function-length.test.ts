import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { longFunctions, sourceFiles, SRC } from './source-graph.js';

/** Functions a reader takes in at once: closures count in the function that holds them. */
const MAX_LINES = 80;
const FOLDERS = ['crm', 'jobs', 'engine', 'app', 'server', 'net', 'cli'];

describe('architecture: short functions', () => {
  it.each(FOLDERS)(`has no function over ${MAX_LINES} lines in %s/`, (folder) => {
    const long = sourceFiles(path.join(SRC, folder)).flatMap((file) => longFunctions(file, MAX_LINES));
    expect(long.map((f) => `${f.file}:${f.line} ${f.name} (${f.lines} lines)`)).toEqual([]);
  });
});
