import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { registerAnalyse } from './analyse.js';
import { registerFetch } from './fetch.js';
import { registerKommuner } from './kommuner.js';
import { ownersCommand } from './owners.js';
import { verifyCommand } from './verify.js';

/** A CLI command lives in its own file and registers itself on the program. */
export type RegisterCommand = (program: Command, context: CliContext) => void;

/** Every command, in the order `--help` lists them. */
export const commands: RegisterCommand[] = [
  registerAnalyse,
  registerFetch,
  verifyCommand(),
  registerKommuner,
  ownersCommand(),
];
