import { developerCode } from '../../domain/developer.js';
import type { EnhetLookup } from '../../sources/brreg/enhet.js';
import type { AirtableRecordsClient } from '../airtable/types.js';
import { EiereField as E, eiereTable, EnhetStatusLabel } from '../schema/eiere.js';
import { DeveloperMark, TomterField as T, tomterTable } from '../schema/tomter.js';
import { anyOfFormulas } from './formula.js';

/** An organisation owner's Eiere cells from the register's answer (Norwegian, as the team reads them). */
export function enhetCells(answer: EnhetLookup, developerCodes: readonly string[]): Record<string, unknown> {
  if (answer.kind !== 'found')
    return {
      [E.utbygger]: false,
      [E.enhetsstatus]: answer.kind === 'deleted' ? EnhetStatusLabel.slettet : EnhetStatusLabel.ikkeFunnet,
    };
  const { enhet } = answer;
  const main = enhet.naeringskoder[0];
  return {
    [E.utbygger]: developerCode(enhet.naeringskoder, developerCodes) !== null,
    [E.naeringskode]: main ? `${main.kode} ${main.beskrivelse}`.trim() : null,
    [E.organisasjonsform]: enhet.organisasjonsform?.beskrivelse || enhet.organisasjonsform?.kode || null,
    [E.forretningsadresse]: enhet.forretningsadresse,
    [E.enhetsstatus]: enhet.konkurs
      ? EnhetStatusLabel.konkurs
      : enhet.underTvangsavvikling
        ? EnhetStatusLabel.underTvangsavvikling
        : enhet.underAvvikling
          ? EnhetStatusLabel.underAvvikling
          : EnhetStatusLabel.aktiv,
  };
}

export interface LotMarkWrite {
  recordId: string;
  mark: 'eier' | 'nabo' | null;
  /** "BORTIGARD AS (810202572)" */
  company: string | null;
}

/** What the enrichment writes to Airtable: only its own fields, never a link or a team field. */
export interface EnrichmentWriter {
  /** Cells per Eier-ID; records not in Eiere (erased, never written) are skipped. Returns the count written. */
  writeOwners(cellsByOwnershipId: ReadonlyMap<string, Record<string, unknown>>): Promise<number>;
  writeLotMarks(marks: readonly LotMarkWrite[]): Promise<void>;
}

export function createEnrichmentWriter(client: AirtableRecordsClient): EnrichmentWriter {
  return {
    async writeOwners(cellsByOwnershipId) {
      const ids = [...cellsByOwnershipId.keys()];
      const updates: Array<{ id: string; fields: Record<string, unknown> }> = [];
      for (const formula of anyOfFormulas(E.eierId, ids)) {
        const records = await client.listAll<Record<string, unknown>>(eiereTable.name, {
          fields: [E.eierId],
          filterByFormula: formula,
        });
        for (const record of records) {
          const cells = cellsByOwnershipId.get(String(record.fields[E.eierId] ?? ''));
          if (cells) updates.push({ id: record.id, fields: cells });
        }
      }
      if (updates.length) await client.update(eiereTable.name, updates);
      return updates.length;
    },
    async writeLotMarks(marks) {
      if (marks.length === 0) return;
      await client.update(
        tomterTable.name,
        marks.map((m) => ({
          id: m.recordId,
          fields: {
            [T.utbygger]: m.mark ? DeveloperMark[m.mark] : null,
            [T.utbyggerSelskap]: m.company,
          },
        })),
      );
    },
  };
}
