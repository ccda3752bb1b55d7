import { memo, Suspense, useCallback, useMemo, useRef, useState } from 'react';
import type { Table } from '@airtable/blocks/models';
import {
  Box,
  Loader,
  Text,
  useBase,
  useGlobalConfig,
  useRecordById,
  useRecords,
  useSession,
  useSettingsButton,
} from '@airtable/blocks/ui';
import { applyFilter, kommuneOptions } from './filters/lot-filter.js';
import { FilterBar } from './filters/filter-bar.js';
import { useSessionFilter } from './filters/use-session-filter.js';
import { LotSummaryCache, type LotSummary } from './lots/lot-summary.js';
import { useCursorSelection } from './lots/use-cursor-selection.js';
import { LeafletLotMap } from './map/leaflet-lot-map.js';
import type { LotMapComponent, MapRequest } from './map/lot-map-props.js';
import { primaryTileSource } from './map/tile-source.js';
import { LotPanel } from './panel/lot-panel.js';
import { EmptyState } from './screens/empty-state.js';
import { GeometryProblems } from './screens/geometry-problems.js';
import { ConfigKey, fieldsToLoad, resolveLotSchema, type LotSchema } from './settings/lot-schema.js';
import { SettingsScreen } from './settings/settings-screen.js';
import './style.css';

export interface TomtekartAppProps {
  /** The map component; tests without a canvas pass a stand-in. */
  MapView?: LotMapComponent;
}

/** Same tables and fields give the same schema object, so memoised children keep their state. */
function useLotSchema(): LotSchema {
  const base = useBase();
  const globalConfig = useGlobalConfig();
  const schema = resolveLotSchema(base, globalConfig);
  const signature = [
    schema.table?.id,
    schema.table?.name,
    schema.tableWarning,
    ...Object.values(schema.fields).map(
      (f) => `${f.field?.id}:${f.field?.name}:${f.field?.type}:${f.warning}`,
    ),
  ].join('|');
  // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed by what the schema says, not by the object Airtable rebuilds every render
  return useMemo(() => schema, [signature]);
}

export function TomtekartApp({ MapView = LeafletLotMap }: TomtekartAppProps) {
  const schema = useLotSchema();
  const [settingsOpen, setSettingsOpen] = useState(false);
  useSettingsButton(() => setSettingsOpen((open) => !open));
  const usable = schema.table !== null && schema.missingRequired.length === 0;

  if (!usable || settingsOpen) {
    return <SettingsScreen schema={schema} onClose={usable ? () => setSettingsOpen(false) : null} />;
  }
  return (
    <Suspense fallback={<Loading />}>
      <LotData table={schema.table!} schema={schema} MapView={MapView} />
    </Suspense>
  );
}

function Loading() {
  return (
    <Box
      className="tomtekart-message"
      display="flex"
      alignItems="center"
      justifyContent="center"
      height="100%"
    >
      <Loader scale={0.4} />
      <Text marginLeft={2}>Laster tomter …</Text>
    </Box>
  );
}

/** Loads the lots (only the fields the extension reads); re-renders only when the data changes. */
function LotData({ table, schema, MapView }: { table: Table; schema: LotSchema; MapView: LotMapComponent }) {
  const records = useRecords(table, { fields: fieldsToLoad(schema) });
  const cache = useRef(new LotSummaryCache());
  const lots = cache.current.summarize(records, schema);
  if (records.length === 0) return <EmptyState tableName={table.name} />;
  return <Explorer table={table} schema={schema} lots={lots} MapView={MapView} />;
}

interface ExplorerProps {
  table: Table;
  schema: LotSchema;
  lots: LotSummary[];
  MapView: LotMapComponent;
}

const Explorer = memo(function Explorer({ table, schema, lots, MapView }: ExplorerProps) {
  const base = useBase();
  const session = useSession();
  const globalConfig = useGlobalConfig();
  const [filter, setFilter] = useSessionFilter(base.id, session.currentUser?.id ?? null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [alsoSelected, setAlsoSelected] = useState(0);
  const [focus, setFocus] = useState<MapRequest | null>(null);
  const [fit, setFit] = useState<MapRequest | null>(null);

  const visible = useMemo(() => applyFilter(lots, filter), [lots, filter]);
  const kommuner = useMemo(() => kommuneOptions(lots), [lots]);
  const unmappable = useMemo(() => visible.filter((lot) => !lot.geometry), [visible]);
  const byId = useMemo(() => new Map(lots.map((lot) => [lot.recordId, lot])), [lots]);
  const selected = selectedId ? (byId.get(selectedId) ?? null) : null;
  const hiddenByFilter = selected !== null && !visible.includes(selected);

  const tileUrl = globalConfig.get(ConfigKey.tileUrl);
  const tileAttribution = globalConfig.get(ConfigKey.tileAttribution);
  const tiles = useMemo(() => primaryTileSource(tileUrl, tileAttribution), [tileUrl, tileAttribution]);

  const selectAndFocus = useCallback(
    (recordId: string, count = 0) => {
      if (!byId.has(recordId)) return;
      setSelectedId(recordId);
      setAlsoSelected(count);
      setFocus((f) => ({ seq: (f?.seq ?? 0) + 1 }));
    },
    [byId],
  );
  useCursorSelection(table, selectAndFocus);

  const onMapSelect = useCallback((recordId: string) => {
    setSelectedId(recordId);
    setAlsoSelected(0);
  }, []);
  const requestFit = () => setFit((f) => ({ seq: (f?.seq ?? 0) + 1 }));
  const onFilterChange = (next: typeof filter) => {
    const kommuneChanged = next.kommune !== filter.kommune;
    setFilter(next);
    if (kommuneChanged) requestFit();
  };

  return (
    <div className="tomtekart">
      <FilterBar
        filter={filter}
        onChange={onFilterChange}
        kommuner={kommuner}
        shown={visible.length}
        total={lots.length}
        onFit={requestFit}
      />
      <GeometryProblems lots={unmappable} onSelect={(id) => selectAndFocus(id)} />
      <div className="tomtekart-body">
        <div className="tomtekart-map-wrap">
          <MapView
            lots={visible}
            selected={selected}
            focus={focus}
            fit={fit}
            tiles={tiles}
            onSelect={onMapSelect}
          />
        </div>
        {selected && (
          <SelectedLot
            table={table}
            schema={schema}
            recordId={selected.recordId}
            hiddenByFilter={hiddenByFilter}
            alsoSelected={alsoSelected}
            onClose={() => setSelectedId(null)}
          />
        )}
      </div>
    </div>
  );
});

function SelectedLot(props: {
  table: Table;
  schema: LotSchema;
  recordId: string;
  hiddenByFilter: boolean;
  alsoSelected: number;
  onClose(): void;
}) {
  const record = useRecordById(props.table, props.recordId, { fields: fieldsToLoad(props.schema) });
  if (!record) return null;
  return (
    <LotPanel
      table={props.table}
      record={record}
      schema={props.schema}
      hiddenByFilter={props.hiddenByFilter}
      alsoSelected={props.alsoSelected}
      onClose={props.onClose}
    />
  );
}
