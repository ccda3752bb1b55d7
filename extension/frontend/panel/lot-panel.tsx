import { Suspense } from 'react';
import type { Record as AirtableRecord, Table } from '@airtable/blocks/models';
import { Box, Button, Heading, Loader, Text, expandRecord } from '@airtable/blocks/ui';
import { lotViewFromFields } from '@tomtejakt/sync/crm/tomter-cells';
import { lotPanelSections } from '@tomtejakt/sync/presentation';
import { TomterField } from '@tomtejakt/sync/crm/schema';
import { lotCells } from '../lots/lot-cells.js';
import { LOT_FIELD_KEYS } from '../settings/lot-fields.js';
import type { LotSchema } from '../settings/lot-schema.js';
import { OwnerList } from './owner-list.js';
import { OwnerLookup } from './owner-lookup.js';

/** The shared panel's section that the owner list and "Finn eier" belong under. */
const OWNER_SECTION = 'Eiere';

interface LotPanelProps {
  table: Table;
  record: AirtableRecord;
  schema: LotSchema;
  /** The lot is selected but the user's filter hides it on the map. */
  hiddenByFilter: boolean;
  /** How many records the user has selected in the grid, when more than this one. */
  alsoSelected: number;
  onClose(): void;
}

/** The lot's side panel: the shared sections (same words as the service's map page) plus actions. */
export function LotPanel({ table, record, schema, hiddenByFilter, alsoSelected, onClose }: LotPanelProps) {
  const view = lotViewFromFields(lotCells(record, schema, LOT_FIELD_KEYS), TomterField, record.name);
  const title = [view.matrikkelnummer, view.kommune].filter(Boolean).join(' ') || view.tomtId;
  const eiere = schema.fields.eiere.field;

  return (
    <aside className="tomtekart-panel" aria-label={`Tomt ${title}`}>
      <Box display="flex" alignItems="flex-start" justifyContent="space-between">
        <Box>
          <Heading size="small" marginBottom={0}>
            {title}
          </Heading>
          <Text textColor="light">{view.tomtId}</Text>
        </Box>
        <Button icon="x" variant="secondary" size="small" aria-label="Lukk panelet" onClick={onClose} />
      </Box>
      <Button icon="expand" size="small" marginTop={2} onClick={() => expandRecord(record)}>
        Åpne post
      </Button>
      {alsoSelected > 1 && (
        <Text className="tomtekart-note">
          {alsoSelected} poster er valgt i tabellen; panelet viser den første.
        </Text>
      )}
      {hiddenByFilter && (
        <Text className="tomtekart-note">Filteret ditt skjuler denne tomten på kartet.</Text>
      )}
      {view.geometryProblem && (
        <Text className="tomtekart-note">Tomten kan ikke vises på kartet: {view.geometryProblem}.</Text>
      )}
      {lotPanelSections(view).map((section) => (
        <section key={section.title} className="tomtekart-section">
          <Heading as="h3" size="xsmall" textColor="light">
            {section.title}
          </Heading>
          <dl>
            {section.rows.map((row, i) => (
              <div key={`${row.label}-${i}`} className="tomtekart-row">
                <dt>{row.label}</dt>
                <dd>
                  {row.href ? (
                    <a href={row.href} target="_blank" rel="noopener noreferrer">
                      {row.value}
                    </a>
                  ) : (
                    row.value
                  )}
                </dd>
              </div>
            ))}
          </dl>
          {section.title === OWNER_SECTION && (
            <>
              {eiere && (
                <Suspense fallback={<Loader scale={0.3} />}>
                  <OwnerList record={record} linkField={eiere} />
                </Suspense>
              )}
              <OwnerLookup
                table={table}
                record={record}
                field={schema.fields.eieroppslag.field}
                messageField={schema.fields.eieroppslagMelding.field}
                state={view.eieroppslag}
                message={view.eieroppslagMelding}
              />
            </>
          )}
        </section>
      ))}
    </aside>
  );
}
