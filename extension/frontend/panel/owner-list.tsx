import { useMemo } from 'react';
import type { Field, Record as AirtableRecord } from '@airtable/blocks/models';
import { Text, useBase, useRecords } from '@airtable/blocks/ui';
import { EiereField, OwnerRoleLabel, OwnerStatusLabel } from '@tomtejakt/sync/crm/schema';

const OWNER_FIELDS = [
  EiereField.navn,
  EiereField.type,
  EiereField.andel,
  EiereField.organisasjonsnummer,
  EiereField.rolle,
  EiereField.eierstatus,
];

/** Current owners first; former owners and erased ones after them, marked as such. */
const statusRank = (status: string) =>
  status === '' || status === OwnerStatusLabel.gjeldende ? 0 : status === OwnerStatusLabel.tidligere ? 1 : 2;

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
  const sorted = [...owners].sort(
    (a, b) => statusRank(cell(a, EiereField.eierstatus)) - statusRank(cell(b, EiereField.eierstatus)),
  );
  return (
    <ul className="tomtekart-owners" aria-label="Hjemmelshavere">
      {sorted.map((owner) => {
        const status = cell(owner, EiereField.eierstatus);
        const current = statusRank(status) === 0;
        const role = cell(owner, EiereField.rolle);
        const details = [
          !current && status,
          role && role !== OwnerRoleLabel.hjemmelshaver && role,
          cell(owner, EiereField.type),
          cell(owner, EiereField.andel) && `andel ${cell(owner, EiereField.andel)}`,
          cell(owner, EiereField.organisasjonsnummer) &&
            `org.nr. ${cell(owner, EiereField.organisasjonsnummer)}`,
        ].filter(Boolean);
        return (
          <li key={owner.id} className={current ? undefined : 'tomtekart-owner--former'}>
            <Text fontWeight={500}>
              {cell(owner, EiereField.navn) ||
                (status === OwnerStatusLabel.slettet ? 'Navn slettet' : owner.name)}
            </Text>
            {details.length > 0 && <Text textColor="light">{details.join(' · ')}</Text>}
          </li>
        );
      })}
    </ul>
  );
}
