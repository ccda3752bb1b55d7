import { Router, type Response } from 'express';
import { kommuneRankingCsv, kommuneRankingCsvName } from '../presentation/kommune-csv.js';
import {
  kommuneDashboard,
  NO_RANKING_TEXT,
  NO_RANKING_TITLE,
  type KommuneDashboard,
  type KommuneRankingInput,
} from '../presentation/kommune-dashboard.js';
import { kommuneDetail, type KommuneHistoryInput } from '../presentation/kommune-detail.js';
import { cachedBody, sendCached, type CachedBody } from './cached-body.js';
import { kommunerPageHtml, noRankingPageHtml } from './kommuner-page.js';

/** What the kommune dashboard reads (the app reads the store; tests hand in fixtures). */
export interface KommuneReader {
  /**
   * The newest ranking, or null before the first refresh. The same object as long as the ranking
   * has not changed, so its renderings are made once per refresh.
   */
  latest(): KommuneRankingInput | null;
  /** One kommune's score, rank and factor figures in every stored refresh. */
  history(kommunenummer: string): KommuneHistoryInput[];
}

export interface KommunerRoutesOptions {
  reader: KommuneReader;
  /** The kommune boundaries as compact GeoJSON text; asked for once. */
  boundaries: () => string;
}

/** The renderings of one ranking, each made on first use. */
interface Rendered {
  input: KommuneRankingInput;
  dashboard: KommuneDashboard;
  json?: CachedBody;
  csv?: CachedBody;
  page?: CachedBody;
}

const NO_CACHE = 'no-cache';
const YEAR = 'public, max-age=31536000, immutable';
const BOUNDARIES_PATH = 'kommuner/grenser.geojson';

/**
 * The kommune dashboard: `GET /kommuner` (the page), `/kommuner.csv` (for Excel),
 * `/kommuner/grenser.geojson` (the boundaries, versioned by `?v=`), `/api/kommuner` (the table
 * as JSON) and `/api/kommuner/:nr` (one kommune's panel with its history). Everything but the
 * panel is rendered once per ranking and sent gzipped with an ETag.
 */
export function kommunerRouter(options: KommunerRoutesOptions): Router {
  const router = Router({ strict: true });
  const renderings = new WeakMap<KommuneRankingInput, Rendered>();
  let boundaries: CachedBody | undefined;
  const boundaryBody = () =>
    (boundaries ??= cachedBody(options.boundaries(), 'application/geo+json; charset=utf-8'));
  const current = (): Rendered | null => {
    const input = options.reader.latest();
    if (!input) return null;
    let rendered = renderings.get(input);
    if (!rendered) renderings.set(input, (rendered = { input, dashboard: kommuneDashboard(input) }));
    return rendered;
  };

  router.get('/kommuner/', (_req, res) => res.redirect(301, '../kommuner'));
  router.get('/kommuner', (req, res) => {
    const r = current();
    if (!r) return sendCached(req, res, cachedBody(noRankingPageHtml(), 'html'), NO_CACHE);
    const url = `${BOUNDARIES_PATH}?v=${boundaryBody().hash}`;
    sendCached(req, res, (r.page ??= cachedBody(kommunerPageHtml(r.dashboard, url), 'html')), NO_CACHE);
  });
  router.get('/kommuner.csv', (req, res) => {
    const r = current();
    if (!r) return void res.status(404).type('text/plain').send(noRankingText());
    res.set('content-disposition', `attachment; filename="${kommuneRankingCsvName(r.dashboard)}"`);
    sendCached(
      req,
      res,
      (r.csv ??= cachedBody(kommuneRankingCsv(r.dashboard), 'text/csv; charset=utf-8')),
      NO_CACHE,
    );
  });
  router.get(`/${BOUNDARIES_PATH}`, (req, res) => {
    const body = boundaryBody();
    sendCached(req, res, body, req.query.v === body.hash ? YEAR : NO_CACHE);
  });
  router.get('/api/kommuner', (req, res) => {
    const r = current();
    if (!r) return noRanking(res);
    sendCached(req, res, (r.json ??= cachedBody(JSON.stringify(r.dashboard), 'json')), NO_CACHE);
  });
  router.get('/api/kommuner/:nr', (req, res) => {
    const nr = req.params.nr;
    if (!/^\d{4}$/.test(nr)) return void res.status(400).json({ error: 'kommunenummer must be four digits' });
    const r = current();
    if (!r) return noRanking(res);
    const explanation = r.input.kommuner.find((k) => k.kommune.kommunenummer === nr)?.explanation;
    const detail = kommuneDetail(r.dashboard, nr, options.reader.history(nr), explanation);
    if (!detail) return void res.status(404).json({ error: 'no such kommune in the ranking' });
    res.set('cache-control', NO_CACHE).json(detail);
  });
  return router;
}

const noRankingText = () => `${NO_RANKING_TITLE}.\n\n${NO_RANKING_TEXT.join('\n')}\n`;

function noRanking(res: Response): void {
  res.status(404).json({ error: 'no kommune ranking yet', message: noRankingText() });
}
