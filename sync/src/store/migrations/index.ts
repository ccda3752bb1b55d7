import type Database from 'better-sqlite3';
import { coreMigration } from './001-core.js';
import { airtableRecordIndexMigration } from './002-airtable-record-index.js';
import { lotRecordsMigration } from './003-lot-records.js';
import { airtableRecordCountMigration } from './010-airtable-record-count.js';
import { migration200KommuneRanking } from './200-kommune-ranking.js';
import { migration210KommuneSelection } from './210-kommune-selection.js';
import { migration240KommuneSnapshot } from './240-kommune-snapshot.js';
import { migration241KommunePopulation } from './241-kommune-population.js';
import { migration250KommunePlanEvidence } from './250-kommune-plan-evidence.js';
import { migration020LotMapIndex } from './020-lot-map-index.js';
import { migration030RunResume } from './030-run-resume.js';
import { migration040PlanShrinkGuard } from './040-plan-shrink-guard.js';
import { ownerLookupMigration } from './300-owner-lookup.js';
import { migration310OwnerLookupLeases } from './310-owner-lookup-leases.js';
import { migration311OwnerWriteLocks } from './311-owner-write-locks.js';
import { migration312OwnerLookupStuck } from './312-owner-lookup-stuck.js';
import { migration350OutreachCadence } from './350-outreach-cadence.js';
import { migration351OwnerEnrichment } from './351-owner-enrichment.js';
import { migration400Alerts } from './400-alerts.js';
import { migration420WeeklyReport } from './420-weekly-report.js';
import { migration440NationalLayerStatus } from './440-national-layer-status.js';
import { migration460KommuneCentrality } from './460-kommune-centrality.js';
import { migration470LotWeekColumns } from './470-lot-week-columns.js';

/**
 * A versioned schema change. Versions are never reused or edited once released: change the
 * schema with a new migration. One file per migration, listed below in order.
 *
 * Reserved ranges, so work on separate parts never collides:
 *   1–99    runs, lots, Airtable record ids (store core, crm sync)
 *   100–199 source cache bookkeeping
 *   200–299 kommune ranking (SSB)
 *   300–399 owner lookup (queue, audit log, owners)
 *   400–419 change alerts
 *   420–439 weekly report (snapshots, reports)
 *   440–459 national constraint layers (status per kommune)
 *   460–469 lot score inputs (centrality, transit, value; issue 16)
 *   470–479 store speed (issue 13, point 6)
 */
export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}

export const migrations: Migration[] = [
  coreMigration,
  airtableRecordIndexMigration,
  lotRecordsMigration,
  airtableRecordCountMigration,
  migration020LotMapIndex,
  migration030RunResume,
  migration040PlanShrinkGuard,
  migration200KommuneRanking,
  migration210KommuneSelection,
  migration240KommuneSnapshot,
  migration241KommunePopulation,
  migration250KommunePlanEvidence,
  ownerLookupMigration,
  migration310OwnerLookupLeases,
  migration311OwnerWriteLocks,
  migration312OwnerLookupStuck,
  migration350OutreachCadence,
  migration351OwnerEnrichment,
  migration400Alerts,
  migration420WeeklyReport,
  migration440NationalLayerStatus,
  migration460KommuneCentrality,
  migration470LotWeekColumns,
];
