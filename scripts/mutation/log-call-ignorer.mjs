// @ts-check
/**
 * A Stryker ignorer: mutants inside a log call (`logger.info('…', { … })`, `this.logger.warn(…)`,
 * `log.error(…)`) are not generated. The wording and fields of a log line are not a rule the
 * customer pays for; tests pin what a log line must carry where it matters (no personal data,
 * the kommune and source named) by asserting on it, not by mutation.
 */
import { PluginKind, declareValuePlugin } from '@stryker-mutator/api/plugin';

const LOG_METHODS = new Set(['debug', 'info', 'warn', 'error']);
const LOGGERS = new Set(['logger', 'log']);

/** @param {any} node */
function nameOf(node) {
  if (node.type === 'Identifier') return node.name;
  if (node.type === 'MemberExpression' && !node.computed) return node.property.name;
  return undefined;
}

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, 'log-calls', {
    /** @param {any} path */
    shouldIgnore(path) {
      const node = path.node;
      if (node.type !== 'CallExpression' || node.callee.type !== 'MemberExpression') return undefined;
      const method = nameOf(node.callee);
      const logger = nameOf(node.callee.object);
      return LOG_METHODS.has(method) && LOGGERS.has(logger)
        ? 'a log line: its wording is not a rule'
        : undefined;
    },
  }),
];
