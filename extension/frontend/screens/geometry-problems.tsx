import { useState } from 'react';
import { Text } from '@airtable/blocks/ui';
import { formatInteger } from '@tomtejakt/sync/presentation';
import type { LotSummary } from '../lots/lot-summary.js';

/** Lots the map cannot draw (missing or broken geometry), listed so they are not silently lost. */
export function GeometryProblems({
  lots,
  onSelect,
}: {
  lots: LotSummary[];
  onSelect(recordId: string): void;
}) {
  const [open, setOpen] = useState(false);
  if (!lots.length) return null;
  return (
    <div className="tomtekart-problems">
      <button type="button" className="tomtekart-link" aria-expanded={open} onClick={() => setOpen(!open)}>
        {formatInteger(lots.length)} {lots.length === 1 ? 'tomt' : 'tomter'} i utvalget kan ikke vises på
        kartet
      </button>
      {open && (
        <ul aria-label="Tomter uten kartgeometri">
          {lots.map((lot) => (
            <li key={lot.recordId}>
              <button type="button" className="tomtekart-link" onClick={() => onSelect(lot.recordId)}>
                {[lot.matrikkelnummer, lot.kommune].filter(Boolean).join(' ') || lot.tomtId}
              </button>{' '}
              <Text as="span" textColor="light">
                {lot.geometryProblem}
              </Text>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
