import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../../sync/src/store/database.js';
import { layerStatusesOf, saveLayerStatuses } from '../../../sync/src/store/national-layer-status.js';

describe('national layer status (migration 440)', () => {
  it('keeps one row per kommune and layer, replaced by the next run, and refuses an unknown status', () => {
    const db = openStore(path.join(mkdtempSync(path.join(tmpdir(), 'layer-status-')), 'store.sqlite'));
    const fetched = {
      layer: 'kvikkleire',
      label: 'kvikkleire',
      status: 'fetched' as const,
      cause: '1 page(s)',
      features: 3,
      fetchedAt: '2026-12-01T02:00:00.000Z',
    };
    saveLayerStatuses(
      db,
      '3218',
      [fetched, { ...fetched, layer: 'flomsoner', label: 'flomsoner' }],
      '2026-12-01T02:05:00.000Z',
    );
    saveLayerStatuses(
      db,
      '3218',
      [{ ...fetched, status: 'failed', cause: 'html-error-page', features: 0, fetchedAt: null }],
      '2026-12-02T02:05:00.000Z',
    );
    saveLayerStatuses(db, '3203', [fetched], '2026-12-02T02:06:00.000Z');
    expect(layerStatusesOf(db, '3218')).toEqual([
      {
        kommunenummer: '3218',
        layer: 'flomsoner',
        status: 'fetched',
        cause: '1 page(s)',
        features: 3,
        fetchedAt: '2026-12-01T02:00:00.000Z',
        checkedAt: '2026-12-01T02:05:00.000Z',
      },
      {
        kommunenummer: '3218',
        layer: 'kvikkleire',
        status: 'failed',
        cause: 'html-error-page',
        features: 0,
        fetchedAt: null,
        checkedAt: '2026-12-02T02:05:00.000Z',
      },
    ]);
    expect(() => saveLayerStatuses(db, '3218', [{ ...fetched, status: 'skipped' as never }], 'x')).toThrow(
      /CHECK constraint/,
    );
    db.close();
  });
});
