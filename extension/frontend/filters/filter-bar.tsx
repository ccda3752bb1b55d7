import { useState } from 'react';
import { Button, Select, Text } from '@airtable/blocks/ui';
import { formatInteger, TIER_COLORS } from '@tomtejakt/sync/presentation';
import {
  activeFilterCount,
  CONFIDENCE_VALUES,
  NO_FILTER,
  NONE,
  STATUS_VALUES,
  TIERS,
  type KommuneOption,
  type LotFilter,
  type PlanWorkFilter,
} from './lot-filter.js';

interface FilterBarProps {
  filter: LotFilter;
  onChange(filter: LotFilter): void;
  kommuner: KommuneOption[];
  shown: number;
  total: number;
  onFit(): void;
}

const toggle = <T,>(list: T[], value: T): T[] =>
  list.includes(value) ? list.filter((v) => v !== value) : [...list, value];

function Chips<T extends string>(props: {
  label: string;
  values: ReadonlyArray<T>;
  chosen: ReadonlyArray<T>;
  onToggle(value: T): void;
  text?: (value: T) => string;
  color?: (value: T) => string | undefined;
}) {
  return (
    <div className="tomtekart-chips" role="group" aria-label={props.label}>
      <span className="tomtekart-filter-label">{props.label}</span>
      {props.values.map((value) => (
        <button
          key={value}
          type="button"
          className="tomtekart-chip"
          aria-pressed={props.chosen.includes(value)}
          onClick={() => props.onToggle(value)}
        >
          {props.color?.(value) && (
            <span
              className="tomtekart-swatch"
              style={{ background: props.color(value) }}
              aria-hidden="true"
            />
          )}
          {props.text ? props.text(value) : value}
        </button>
      ))}
    </div>
  );
}

const PLAN_WORK_OPTIONS: Array<{ value: PlanWorkFilter; label: string }> = [
  { value: 'alle', label: 'Alle' },
  { value: 'med', label: 'Med planarbeid' },
  { value: 'uten', label: 'Uten planarbeid' },
];

/** Filters over the lots, with the live count of what the map shows. */
export function FilterBar({ filter, onChange, kommuner, shown, total, onFit }: FilterBarProps) {
  const set = (patch: Partial<LotFilter>) => onChange({ ...filter, ...patch });
  const active = activeFilterCount(filter);
  // A narrow extension frame starts with the filters folded away, to leave room for the map.
  const [open, setOpen] = useState(() => window.innerWidth > 640);
  return (
    <div className="tomtekart-filters" role="search" aria-label="Filter">
      {open && (
        <>
          <div className="tomtekart-filter-row">
            <label className="tomtekart-score">
              <span className="tomtekart-filter-label">Minste score</span>
              <input
                type="range"
                min={0}
                max={100}
                step={5}
                value={filter.minScore}
                aria-valuetext={filter.minScore === 0 ? 'Alle' : String(filter.minScore)}
                onChange={(e) => set({ minScore: Number(e.target.value) })}
              />
              <output>{filter.minScore === 0 ? 'Alle' : filter.minScore}</output>
            </label>
            <Chips
              label="Klasse"
              values={TIERS}
              chosen={filter.tiers}
              onToggle={(tier) => set({ tiers: toggle(filter.tiers, tier) })}
              color={(tier) => TIER_COLORS[tier]}
            />
            <label className="tomtekart-select">
              <span className="tomtekart-filter-label">Kommune</span>
              <Select
                size="small"
                width="auto"
                value={filter.kommune ?? ''}
                options={[
                  { value: '', label: 'Alle kommuner' },
                  ...kommuner.map((k) => ({
                    value: k.value,
                    label: `${k.label} – ${formatInteger(k.count)}`,
                  })),
                  // A remembered kommune whose lots are gone stays choosable, so the filter reads true.
                  ...(filter.kommune && !kommuner.some((k) => k.value === filter.kommune)
                    ? [{ value: filter.kommune, label: `${filter.kommune} – 0` }]
                    : []),
                ]}
                onChange={(value) => set({ kommune: value ? String(value) : null })}
              />
            </label>
            <label className="tomtekart-select">
              <span className="tomtekart-filter-label">Planarbeid</span>
              <Select
                size="small"
                width="auto"
                value={filter.planWork}
                options={PLAN_WORK_OPTIONS}
                onChange={(value) => set({ planWork: value as PlanWorkFilter })}
              />
            </label>
          </div>
          <div className="tomtekart-filter-row">
            <Chips
              label="Status"
              values={[...STATUS_VALUES, NONE]}
              chosen={filter.statuses}
              onToggle={(status) => set({ statuses: toggle(filter.statuses, status) })}
              text={(status) => status || 'Uten status'}
            />
            <Chips
              label="Konfidens"
              values={CONFIDENCE_VALUES}
              chosen={filter.confidences}
              onToggle={(c) => set({ confidences: toggle(filter.confidences, c) })}
            />
            <label className="tomtekart-check">
              <input
                type="checkbox"
                checked={filter.hideUnderTerskel}
                onChange={(e) => set({ hideUnderTerskel: e.target.checked })}
              />
              Skjul tomter under terskel
            </label>
          </div>
        </>
      )}
      <div className="tomtekart-filter-row tomtekart-count-row">
        <button
          type="button"
          className="tomtekart-chip tomtekart-fold"
          aria-expanded={open}
          onClick={() => setOpen(!open)}
        >
          {open ? 'Skjul filter' : `Vis filter${active ? ` (${active} i bruk)` : ''}`}
        </button>
        <Text role="status" aria-live="polite" className="tomtekart-count">
          Viser {formatInteger(shown)} av {formatInteger(total)} tomter
        </Text>
        {active > 0 && (
          <Button size="small" variant="secondary" onClick={() => onChange(NO_FILTER)}>
            Nullstill filter ({active})
          </Button>
        )}
        <Button size="small" variant="secondary" icon="fullscreen" onClick={onFit} disabled={shown === 0}>
          Vis alle på kartet
        </Button>
      </div>
    </div>
  );
}
