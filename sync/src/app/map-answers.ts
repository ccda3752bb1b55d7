import { gzipSync } from 'node:zlib';
import type { MapBody } from '../server/map-api.js';
import { kommunerJson, mapLayerJson, searchJson } from '../server/map-json.js';
import { lotMapFeatures } from '../presentation/map-features.js';
import type { Db } from '../store/database.js';
import { activeLots } from '../store/lots.js';
import {
  lotMapKommuner,
  queryLotMap,
  searchLotMap,
  type LotSearch,
  type MapQuery,
} from '../store/lot-map-query.js';

/** One question to the map index, as it travels to a worker thread. */
export type MapQuestion =
  | { kind: 'layer'; query: MapQuery }
  | { kind: 'search'; search: LotSearch }
  | { kind: 'kommuner' }
  | { kind: 'all' };

const bodyOf = (text: string): MapBody => {
  const identity = Buffer.from(text, 'utf8');
  return { identity, gzip: gzipSync(identity) };
};

/** Query, JSON text and gzip of one question: the heavy part of a map request. */
export function answerMapQuestion(db: Db, question: MapQuestion): MapBody {
  switch (question.kind) {
    case 'layer':
      return bodyOf(mapLayerJson(queryLotMap(db, question.query)));
    case 'search':
      return bodyOf(searchJson(searchLotMap(db, question.search)));
    case 'kommuner':
      return bodyOf(kommunerJson(lotMapKommuner(db)));
    case 'all':
      return bodyOf(JSON.stringify(lotMapFeatures(activeLots(db).map((lot) => lot.record))));
  }
}
