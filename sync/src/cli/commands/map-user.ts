import type { Command } from 'commander';
import { MAP_USER_NAME } from '../../config/map-access-env.js';
import { InputError } from '../../util/errors.js';
import { hashPassword } from '../../util/password-hash.js';
import type { CliContext } from '../context.js';
import { readNewPassword, type PasswordInput } from '../read-password.js';
import type { RegisterCommand } from './index.js';

/** Long enough for a passphrase of a few words; the login limits guesses, the hash makes each one dear. */
const MIN_PASSWORD_LENGTH = 12;

/**
 * `tomtejakt map-user <name>`: asks for a password (no echo) and prints the `name:hash` entry for
 * MAP_USERS. Needs no configuration, so it runs before `.env` is complete. Only the entry goes
 * to stdout, so it can be appended to a file as it is.
 */
export function createMapUserCommand(
  io: { input?: PasswordInput; prompt?: (text: string) => void } = {},
): RegisterCommand {
  return (program: Command, context: CliContext) => {
    program
      .command('map-user')
      .description('make a MAP_USERS entry (name:scrypt hash) for the map login; asks for the password')
      .argument('<name>', 'the user name, e.g. kari or kari@firma.no')
      .addHelpText(
        'after',
        '\nThe password is read without echo at a terminal, or as the first line of piped input.\n' +
          'Paste the printed entry into MAP_USERS in .env (entries separated by commas) and restart.',
      )
      .action(async (name: string) => {
        if (!MAP_USER_NAME.test(name))
          throw new InputError('<name>', 'use letters, digits and . _ @ + - (at most 64), no spaces, : or ,');
        const prompt = io.prompt ?? ((text: string) => void process.stderr.write(text));
        const password = await readNewPassword(io.input ?? process.stdin, prompt);
        if (Array.from(password).length < MIN_PASSWORD_LENGTH)
          throw new InputError('password', `use at least ${MIN_PASSWORD_LENGTH} characters`);
        context.print(`${name}:${await hashPassword(password)}`);
        prompt(
          'Add this entry to MAP_USERS in .env (separate entries with commas), then restart the service.\n',
        );
      });
  };
}
