import type { AirtableRecordsClient } from './airtable/types.js';
import { KommunerExtraField, KommunerField, kommunerTable } from './schema/index.js';

/**
 * Sets (or clears, with null) the kommune's Dataadvarsel in the Airtable table Kommuner, merged on
 * Kommunenummer: the team sees there that the night held the kommune's lots back.
 */
export async function writeKommuneDataWarning(
  client: AirtableRecordsClient,
  kommunenummer: string,
  warning: string | null,
  table: string = kommunerTable.name,
): Promise<void> {
  await client.upsert(
    table,
    [
      {
        fields: {
          [KommunerField.kommunenummer]: kommunenummer,
          [KommunerExtraField.dataadvarsel]: warning ?? '',
        },
      },
    ],
    [KommunerField.kommunenummer],
  );
}
