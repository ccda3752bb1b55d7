import { Command, CommanderError } from 'commander';
import { ExitCode, exitCodeOf, messageOf, TomtejaktError } from '../util/errors.js';
import { productionCommands, type RegisterCommand } from './commands/index.js';
import { createCliContext } from './context.js';

/**
 * The `tomtejakt` CLI. Exit codes: 0 ok, 1 bad input or configuration, 2 a source or service
 * failed. Returns the exit code instead of exiting so tests can run it in-process; tests may
 * pass commands built with test doubles.
 */
export async function main(argv: string[], commands?: RegisterCommand[]): Promise<number> {
  const context = createCliContext({ quiet: argv.includes('--quiet') });
  const program = new Command('tomtejakt')
    .description(
      'Tomtejakt: find unregulated housing land in Norwegian kommuneplaner and keep Airtable in step.',
    )
    .option('--quiet', 'only warnings and errors on stderr')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });
  program.addHelpText(
    'after',
    '\nExit codes: 0 ok, 1 bad input or configuration, 2 a source or service failed.\n' +
      'Configuration is read from .env (see .env.example).',
  );
  for (const register of commands ?? (await productionCommands(argv))) register(program, context);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return ExitCode.ok;
      if (error.code === 'commander.help') return ExitCode.ok;
      return ExitCode.badInput;
    }
    const code = exitCodeOf(error);
    process.stderr.write(
      `${error instanceof TomtejaktError ? '' : 'Unexpected error: '}${messageOf(error)}\n`,
    );
    if (!(error instanceof TomtejaktError) && process.env.LOG_LEVEL === 'debug') {
      process.stderr.write(`${(error as Error).stack ?? ''}\n`);
    }
    return code;
  }
}
