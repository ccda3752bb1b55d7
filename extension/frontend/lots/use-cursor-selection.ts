import { useEffect, useRef } from 'react';
import type { Table } from '@airtable/blocks/models';
import { useCursor, useLoadable, useWatchable } from '@airtable/blocks/ui';

/**
 * Follows the records the user selects in the grid of the lots table: calls `onSelect` with the
 * first selected id (and how many are selected) whenever the selection changes.
 */
export function useCursorSelection(table: Table, onSelect: (recordId: string, count: number) => void): void {
  const cursor = useCursor();
  useLoadable(cursor);
  useWatchable(cursor, ['selectedRecordIds', 'activeTableId']);
  const onSelectRef = useRef(onSelect);
  onSelectRef.current = onSelect;
  const ids = cursor.activeTableId === table.id ? cursor.selectedRecordIds : [];
  const first = ids[0] ?? null;
  const count = ids.length;
  useEffect(() => {
    if (first) onSelectRef.current(first, count);
  }, [first, count]);
}
