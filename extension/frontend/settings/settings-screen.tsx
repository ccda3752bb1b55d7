import {
  Box,
  Button,
  FieldPickerSynced,
  FormField,
  Heading,
  InputSynced,
  TablePickerSynced,
  Text,
  useGlobalConfig,
} from '@airtable/blocks/ui';
import { tomterTable } from '@tomtejakt/sync/crm/schema';
import { KARTVERKET_TOPO, tileUrlProblem } from '../map/tile-source.js';
import {
  ALLOWED_FIELD_TYPES,
  LOT_FIELD_KEYS,
  REQUIRED_FIELD_KEYS,
  defaultFieldName,
  type LotFieldKey,
} from './lot-fields.js';
import { ConfigKey, fieldConfigKey, type LotSchema, type ResolvedField } from './lot-schema.js';

function fieldStatus(key: LotFieldKey, resolved: ResolvedField): string {
  const required = REQUIRED_FIELD_KEYS.includes(key);
  const warning = resolved.warning ? `${resolved.warning}. ` : '';
  if (resolved.field) return `${warning}Bruker «${resolved.field.name}».`;
  return `${warning}Ikke funnet – ${required ? 'påkrevd for kartet' : 'panelet viser «–»'}.`;
}

/** The geometry first, then what needs attention, then the rest in the table's usual order. */
function displayOrder(schema: LotSchema): LotFieldKey[] {
  const rank = (key: LotFieldKey) => {
    if (REQUIRED_FIELD_KEYS.includes(key)) return 0;
    const resolved = schema.fields[key];
    return !resolved.field || resolved.warning ? 1 : 2;
  };
  return [...LOT_FIELD_KEYS].sort((a, b) => rank(a) - rank(b));
}

interface SettingsScreenProps {
  schema: LotSchema;
  /** Null while the map cannot be shown yet (no table or no geometry field). */
  onClose: (() => void) | null;
}

/**
 * Table and field pickers (GlobalConfig, shared by the base's users) for a base whose names
 * differ from what setup-base creates; empty pickers mean "the default name".
 */
export function SettingsScreen({ schema, onClose }: SettingsScreenProps) {
  const globalConfig = useGlobalConfig();
  const canEdit = globalConfig.hasPermissionToSet();
  const tileUrl = globalConfig.get(ConfigKey.tileUrl);
  const tileProblem =
    typeof tileUrl === 'string' && tileUrl.trim() !== '' ? tileUrlProblem(tileUrl.trim()) : null;
  const { table } = schema;

  function resetAll() {
    void globalConfig.setPathsAsync(
      Object.values(ConfigKey).map((key) => ({ path: [key], value: undefined })),
    );
  }

  return (
    <Box className="tomtekart-settings" padding={3} overflow="auto" height="100%">
      <Heading size="small">Innstillinger for Tomtekart</Heading>
      {!table && (
        <Text className="tomtekart-note" role="alert">
          Fant ikke tabellen «{tomterTable.name}»
          {schema.tableWarning ? ` (${schema.tableWarning.toLowerCase()})` : ''}. Velg tabellen med tomter
          under, eller kjør <code>npx tomtejakt setup-base</code> for å lage den.
        </Text>
      )}
      {table && schema.missingRequired.length > 0 && (
        <Text className="tomtekart-note" role="alert">
          Kartet trenger feltet med tomtenes geometri (GeoJSON). Velg det under.
        </Text>
      )}
      <Text textColor="light" marginBottom={3}>
        {canEdit
          ? 'Innstillingene gjelder for alle som bruker utvidelsen i denne basen. Tomme valg betyr navnene som «tomtejakt setup-base» lager.'
          : 'Bare redaktører og eiere av basen kan endre innstillingene. Du ser hva som er valgt.'}
      </Text>

      <FormField label="Tabell med tomter" description={schema.tableWarning ?? undefined}>
        <TablePickerSynced
          globalConfigKey={ConfigKey.tableId}
          shouldAllowPickingNone
          placeholder={`Standard: «${tomterTable.name}»`}
        />
      </FormField>

      {table && (
        <fieldset className="tomtekart-fieldset">
          <legend>Felt i «{table.name}»</legend>
          {displayOrder(schema).map((key) => (
            <FormField
              key={key}
              label={defaultFieldName(key)}
              description={fieldStatus(key, schema.fields[key])}
            >
              <FieldPickerSynced
                table={table}
                globalConfigKey={fieldConfigKey(key)}
                allowedTypes={ALLOWED_FIELD_TYPES[key]}
                shouldAllowPickingNone
                placeholder={`Standard: «${defaultFieldName(key)}»`}
                size="small"
              />
            </FormField>
          ))}
        </fieldset>
      )}

      <FormField
        label="Bakgrunnskart (URL-mal for kartfliser)"
        description={
          tileProblem
            ? `${tileProblem}. Bruker Kartverkets topografiske kart til adressen er rettet.`
            : 'Tomt betyr Kartverkets topografiske kart. OpenStreetMap brukes hvis kartet ikke svarer.'
        }
      >
        <InputSynced globalConfigKey={ConfigKey.tileUrl} placeholder={KARTVERKET_TOPO.url} />
      </FormField>
      <FormField label="Kildehenvisning for bakgrunnskartet">
        <InputSynced globalConfigKey={ConfigKey.tileAttribution} placeholder="© Kartverket" />
      </FormField>

      <Box display="flex" marginTop={3}>
        <Button variant="primary" onClick={() => onClose?.()} disabled={!onClose} marginRight={2}>
          Vis kartet
        </Button>
        {canEdit && (
          <Button variant="secondary" onClick={resetAll}>
            Tilbakestill til standard
          </Button>
        )}
      </Box>
    </Box>
  );
}
