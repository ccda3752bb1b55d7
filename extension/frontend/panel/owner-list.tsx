import { useMemo } from 'react';
import type { Field, Record as AirtableRecord } from '@airtable/blocks/models';
import { Text, useBase, useRecords } from '@airtable/blocks/ui';
import { EiereField } from '@tomtejakt/sync/crm/schema';

const OWNER_FIELDS = [EiereField.navn, EiereField.type, EiereField.andel, EiereField.organisasjonsnummer];

/** The lot's owners: the Eiere records the lookup linked to it. */
export function OwnerList({ record, linkField }: { record: AirtableRecord; linkField: Field }) {
  const base = useBase();
  const linkedTableId = (linkField.options?.linkedTableId as string | undefined) ?? null;
  const ownersTable = linkedTableId ? base.getTableByIdIfExists(linkedTableId) : null;
  const fields = useMemo(
    () => (ownersTable ? OWNER_FIELDS.flatMap((name) => ownersTable.getFieldByNameIfExists(name) ?? []) : []),
    [ownersTable],
  );
  const query = useMemo(
    () => record.selectLinkedRecordsFromCell(linkField, { fields }),
    [record, linkField, fields],
  );
  const owners = useRecords(query);

  if (!owners.length) return null;
  const cell = (owner: AirtableRecord, name: string) => {
    const field = fields.find((f) => f.name === name);
    return field ? owner.getCellValueAsString(field) : '';
  };
  return (
    <ul className="tomtekart-owners" aria-label="Hjemmelshavere">
      {owners.map((owner) => {
        const details = [
          cell(owner, EiereField.type),
          cell(owner, EiereField.andel) && `andel ${cell(owner, EiereField.andel)}`,
          cell(owner, EiereField.organisasjonsnummer) &&
            `org.nr. ${cell(owner, EiereField.organisasjonsnummer)}`,
        ].filter(Boolean);
        return (
          <li key={owner.id}>
            <Text fontWeight={500}>{cell(owner, EiereField.navn) || owner.name}</Text>
            {details.length > 0 && <Text textColor="light">{details.join(' · ')}</Text>}
          </li>
        );
      })}
    </ul>
  );
}
