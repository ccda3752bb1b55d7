import { readdirSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import mutationVitestConfig from '../../../vitest.mutation.config.js';
import { parse, REPO, resolveRelative } from './source-graph.js';

/**
 * StrykerJS can only tell which test covers a mutant when the mutated code runs inside a test (or
 * its beforeEach). Code a test file runs while vitest collects it (at module level, in a describe
 * body) or in beforeAll counts as covered by no test in particular: every mutant in it becomes
 * "static", and each then costs a full reload of the test graph, while the tests that use the
 * result are not run against it at all. This keeps the mutation suite free of such calls into
 * mutated modules: direct calls, and calls through the file's own helper functions (not through
 * other modules, e.g. a job that ranks kommuner).
 */

/** A glob as Stryker and vitest write them: `**`, `*` and `{a,b}`. */
function globRegExp(glob: string): RegExp {
  let pattern = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (glob.startsWith('**/', i)) {
      pattern += '(?:.*/)?';
      i += 2;
    } else if (c === '*') pattern += '[^/]*';
    else if (c === '{') pattern += '(?:';
    else if (c === '}') pattern += ')';
    else if (c === ',') pattern += '|';
    else pattern += c.replace(/[.+?^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${pattern}$`);
}

function matcher(globs: readonly string[]): (file: string) => boolean {
  const include = globs.filter((g) => !g.startsWith('!')).map(globRegExp);
  const exclude = globs.filter((g) => g.startsWith('!')).map((g) => globRegExp(g.slice(1)));
  return (file) => include.some((r) => r.test(file)) && !exclude.some((r) => r.test(file));
}

function filesUnder(dir: string): string[] {
  return readdirSync(path.join(REPO, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.relative(REPO, path.join(entry.parentPath, entry.name)));
}

const strykerConfig = (await import(path.join(REPO, 'stryker.config.mjs'))) as {
  default: { mutate: string[] };
};
const isMutated = matcher(strykerConfig.default.mutate);
const testConfig = mutationVitestConfig.test!;
const inSuite = matcher([...(testConfig.include ?? []), ...(testConfig.exclude ?? []).map((g) => `!${g}`)]);

const HOOKS_BEFORE_TESTS = /^(describe|beforeAll)/;
const calleeRoot = (e: ts.Expression): ts.Expression =>
  ts.isPropertyAccessExpression(e) || ts.isCallExpression(e) ? calleeRoot(e.expression) : e;

/** Calls `file` makes while it is collected or in beforeAll that reach a mutated module. */
function staticCalls(file: string): string[] {
  const source = parse(path.join(REPO, file));
  const imported = new Map<string, string>(); // local name → repo-relative .ts file
  const localFunctions = new Map<string, ts.Node>();
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement) && !statement.importClause?.isTypeOnly) {
      const target = path.relative(
        REPO,
        resolveRelative(path.join(REPO, file), (statement.moduleSpecifier as ts.StringLiteral).text),
      );
      const bindings = statement.importClause?.namedBindings;
      if (bindings && ts.isNamedImports(bindings))
        for (const element of bindings.elements) imported.set(element.name.text, target);
    }
    if (ts.isFunctionDeclaration(statement) && statement.name)
      localFunctions.set(statement.name.text, statement);
    if (ts.isVariableStatement(statement))
      for (const d of statement.declarationList.declarations)
        if (ts.isIdentifier(d.name) && d.initializer && ts.isArrowFunction(d.initializer))
          localFunctions.set(d.name.text, d.initializer);
  }
  const found: string[] = [];
  const lineOf = (node: ts.Node) => source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
  const reached = (name: string, seen: Set<string>): string | null => {
    if (imported.has(name)) return isMutated(imported.get(name)!) ? imported.get(name)! : null;
    const local = localFunctions.get(name);
    if (!local || seen.has(name)) return null;
    seen.add(name);
    let hit: string | null = null;
    const scan = (node: ts.Node) => {
      const root = ts.isCallExpression(node) ? calleeRoot(node.expression) : null;
      if (!hit && root && ts.isIdentifier(root)) hit = reached(root.text, seen);
      ts.forEachChild(node, scan);
    };
    scan(local);
    return hit;
  };
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node)) {
      const call = node.parent;
      const runsNow =
        ts.isCallExpression(call) &&
        ts.isIdentifier(calleeRoot(call.expression)) &&
        HOOKS_BEFORE_TESTS.test((calleeRoot(call.expression) as ts.Identifier).text);
      if (!runsNow) return;
    }
    if (ts.isCallExpression(node)) {
      const root = calleeRoot(node.expression);
      const target = ts.isIdentifier(root) ? reached(root.text, new Set()) : null;
      if (target)
        found.push(`${file}:${lineOf(node)} ${node.getText().split('\n')[0]!.slice(0, 60)} → ${target}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('the mutation suite (vitest.mutation.config.ts)', () => {
  const suite = [...filesUnder('test/unit'), ...filesUnder('test/golden')].filter(inSuite);

  it('reads the mutated modules and the suite from the configs', () => {
    expect(isMutated('sync/src/engine/classify.ts')).toBe(true);
    expect(isMutated('sync/src/engine/worker-pool.ts')).toBe(false);
    expect(isMutated('sync/src/server/app.ts')).toBe(false);
    expect(suite).toContain('test/unit/engine/make-batches.test.ts');
    expect(suite).not.toContain('test/unit/jobs/nightly.test.ts');
  });

  it('never runs a mutated module while collecting tests or in beforeAll', () => {
    expect(suite.flatMap(staticCalls)).toEqual([]);
  });
});
