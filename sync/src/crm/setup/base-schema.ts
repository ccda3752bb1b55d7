import { EiereField, eiereTable } from '../schema/eiere.js';
import { kommunerTable } from '../schema/kommuner.js';
import { rapporterTable } from '../schema/rapporter.js';
import { TomterField, tomterTable } from '../schema/tomter.js';
import type { TableSpec } from '../schema/types.js';
import { VarslerField, varslerTable } from '../schema/varsler.js';

/** A link between two tables; Airtable creates the counterpart field in the linked table itself. */
export interface LinkSpec {
  table: string;
  field: string;
  linkedTable: string;
  /** The name the counterpart should have in the linked table. */
  inverseField: string;
  description?: string;
}

/** The tables `setup-base` creates or completes, in creation order. */
export const baseTables: TableSpec[] = [tomterTable, kommunerTable, eiereTable, varslerTable, rapporterTable];

export const baseLinks: LinkSpec[] = [
  {
    table: eiereTable.name,
    field: EiereField.tomter,
    linkedTable: tomterTable.name,
    inverseField: TomterField.eiere,
    description: 'Tomtene eieren har hjemmel til',
  },
  {
    table: varslerTable.name,
    field: VarslerField.tomt,
    linkedTable: tomterTable.name,
    inverseField: 'Varsler',
    description: 'Tomten varselet gjelder',
  },
  {
    table: varslerTable.name,
    field: VarslerField.kommune,
    linkedTable: kommunerTable.name,
    inverseField: 'Varsler',
    description: 'Kommunen varselet gjelder',
  },
];
