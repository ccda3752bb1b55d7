import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export const REPO = path.resolve(import.meta.dirname, '../../..');
export const SRC = path.join(REPO, 'sync/src');

/** Every .ts/.tsx file under a folder, recursively. */
export function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

export function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
}

/** The module specifiers a file imports or re-exports, type-only ones included. */
export function importsOf(file: string): string[] {
  const specifiers: string[] = [];
  const visit = (node: ts.Node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier)
      specifiers.push((node.moduleSpecifier as ts.StringLiteral).text);
    if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      ts.isStringLiteral(node.arguments[0]!)
    )
      specifiers.push((node.arguments[0] as ts.StringLiteral).text);
    ts.forEachChild(node, visit);
  };
  visit(parse(file));
  return specifiers;
}

/** A relative specifier as the .ts file it names. */
export function resolveRelative(from: string, specifier: string): string {
  return path.resolve(path.dirname(from), specifier).replace(/\.js$/, '.ts');
}

/** The top folder of sync/src a file lives in ("engine", "crm" …). */
export const folderOf = (file: string) => path.relative(SRC, file).split(path.sep)[0]!;

export interface LongFunction {
  file: string;
  line: number;
  name: string;
  lines: number;
}

/** Functions (closures counted in the function that holds them) longer than `max` lines. */
export function longFunctions(file: string, max: number): LongFunction[] {
  const source = parse(file);
  const found: LongFunction[] = [];
  const lineOf = (pos: number) => source.getLineAndCharacterOfPosition(pos).line + 1;
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const lines = lineOf(node.end) - lineOf(node.getStart()) + 1;
      if (lines > max) {
        const named = (node as { name?: ts.Node }).name;
        const name = named
          ? named.getText()
          : ts.isVariableDeclaration(node.parent)
            ? node.parent.name.getText()
            : '(anonymous)';
        found.push({ file: path.relative(REPO, file), line: lineOf(node.getStart()), name, lines });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}
