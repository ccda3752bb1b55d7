import { loadEnv, secretsOf, type Env } from '../config/env.js';
import { loadRules, type Rules } from '../config/rules.js';
import { createLogger, type Logger } from '../util/logger.js';
import { createProgress, silentProgress, type Progress } from '../util/progress.js';

/** What every command may need, loaded on first use so `--help` never reads configuration. */
export interface CliContext {
  env(): Env;
  rules(file?: string): Rules;
  logger(): Logger;
  progress(): Progress;
  /** Where a command prints its result (stdout); logs and progress go to stderr. */
  print(line: string): void;
}

export function createCliContext(options: { quiet?: boolean } = {}): CliContext {
  let env: Env | undefined;
  let logger: Logger | undefined;
  return {
    env: () => (env ??= loadEnv()),
    rules: (file) => loadRules(file ?? (env ??= loadEnv()).RULES_FILE),
    logger: () => {
      if (!logger) {
        const current = (env ??= loadEnv());
        logger = createLogger({
          level: options.quiet ? 'warn' : current.LOG_LEVEL,
          format: current.LOG_FORMAT,
          secrets: secretsOf(current),
        });
      }
      return logger;
    },
    progress: () => (options.quiet ? silentProgress : createProgress()),
    print: (line) => process.stdout.write(line + '\n'),
  };
}
