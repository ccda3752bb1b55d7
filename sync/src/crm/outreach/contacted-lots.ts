import type { ContactedLot } from '../../domain/outreach.js';
import { fieldRef, formulaString } from '../airtable/formula.js';
import type { AirtableRecordsClient } from '../airtable/types.js';
import { TomterField as T, tomterTable } from '../schema/tomter.js';

/** The outreach cadence's reads and writes of Tomter, through the shared records interface only. */
export interface ContactedLotsGateway {
  /** Lots whose Status is `status`, with only the fields the cadence needs (one request per 100). */
  read(status: string): Promise<ContactedLot[]>;
  /** Fills "Neste handling" and its date; nothing else is sent. */
  fill(steps: Array<{ recordId: string; action: string; on: string }>): Promise<void>;
}

type Cells = Record<string, unknown>;

const text = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : null;

export function createContactedLotsGateway(client: AirtableRecordsClient): ContactedLotsGateway {
  return {
    async read(status) {
      const records = await client.listAll<Cells>(tomterTable.name, {
        fields: [T.tomtId, T.kommunenummer, T.status, T.nesteHandling, T.nesteHandlingDato],
        filterByFormula: `${fieldRef(T.status)}=${formulaString(status)}`,
      });
      return records.flatMap((record) => {
        const tomtId = text(record.fields[T.tomtId]);
        if (!tomtId) return [];
        return [
          {
            tomtId,
            recordId: record.id,
            kommunenummer: text(record.fields[T.kommunenummer]),
            nextAction: text(record.fields[T.nesteHandling]),
            nextOn: text(record.fields[T.nesteHandlingDato]),
          },
        ];
      });
    },
    async fill(steps) {
      if (steps.length === 0) return;
      await client.update(
        tomterTable.name,
        steps.map((s) => ({
          id: s.recordId,
          fields: { [T.nesteHandling]: s.action, [T.nesteHandlingDato]: s.on },
        })),
      );
    },
  };
}
