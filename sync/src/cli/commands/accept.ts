import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { openStoreAt } from '../../app/store-location.js';
import { isKommunenummer } from '../../domain/kommune.js';
import { acceptSuspectChange, suspectChangeOf } from '../../store/plan-shrink-guard.js';
import { InputError } from '../../util/errors.js';
import type { CliContext } from '../context.js';
import type { RegisterCommand } from './index.js';

/**
 * `tomtejakt accept --kommune 3218`: a person has looked at a kommune held as "mistenkelig
 * endring" (its plan areas shrank too far in one run) and accepts the change. The next run
 * computes the kommune from the new data, keeps its areas as the new baseline and clears the
 * kommune's Dataadvarsel in Airtable.
 */
export const registerAccept: RegisterCommand = (program: Command, context: CliContext) => {
  program
    .command('accept')
    .description(
      'accept a kommune held as "mistenkelig endring" after checking its source; the next run takes it',
    )
    .requiredOption('--kommune <nummer>', 'the kommunenummer, e.g. 3218')
    .action((flags: { kommune: string }) => {
      const kommune = flags.kommune.trim();
      if (!isKommunenummer(kommune))
        throw new InputError('--kommune', `not a 4-digit kommunenummer: ${kommune}`);
      const db = openStoreAt(context.env());
      try {
        const held = suspectChangeOf(db, kommune);
        if (!held || held.acceptedAt)
          throw new InputError(
            '--kommune',
            held
              ? `kommune ${kommune}'s change was already accepted (${held.acceptedAt}); the next run takes it`
              : `kommune ${kommune} has no change held as suspicious (see /health or the run summary)`,
          );
        acceptSuspectChange(db, kommune, new Date().toISOString(), userInfo().username);
        context.print(
          `Accepted for kommune ${kommune}: ${held.reason} (held since run ${held.runId ?? '?'}, ${held.detectedAt}). ` +
            'The next run computes it from the new data and clears its Dataadvarsel.',
        );
      } finally {
        db.close();
      }
    });
};
