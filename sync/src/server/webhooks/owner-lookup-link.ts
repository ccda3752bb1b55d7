import express, { type Request, type Response, type Router } from 'express';
import type { LotParcelsLookup } from '../../domain/lot-parcels.js';
import type { LookupRequest, OwnerLookupJob } from '../../store/owner-lookup-jobs.js';
import type { Logger } from '../../util/logger.js';
import { secretMatches } from './signature.js';

/**
 * The button-field fallback: an Airtable "Open URL" button opens
 *   <PUBLIC_BASE_URL>/webhooks/owner-lookup/link?recordId=<RECORD_ID()>&key=<WEBHOOK_LINK_KEY>
 * The GET only shows a confirmation page (link previews and prefetching must not start
 * lookups); the lookup starts when the person submits it with their name, which goes to the
 * audit log. Pages are in Norwegian: the sales team reads them.
 */
export interface LinkDeps {
  linkKey: string | undefined;
  lots: LotParcelsLookup;
  enqueue(request: LookupRequest): { job: OwnerLookupJob; joined: boolean };
  purpose: string;
  logger: Logger;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(res: Response, status: number, title: string, body: string): void {
  res
    .status(status)
    .set({
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
      'X-Frame-Options': 'DENY',
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
    })
    .send(
      `<!doctype html><html lang="nb"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>` +
        '<meta name="viewport" content="width=device-width,initial-scale=1">' +
        '<style>body{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem}' +
        'input{font:inherit;padding:.4rem;width:100%;box-sizing:border-box}button{font:inherit;padding:.5rem 1rem;margin-top:1rem}</style>' +
        `</head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`,
    );
}

export function createOwnerLookupLinkRouter(deps: LinkDeps): Router {
  const router = express.Router();

  async function checked(req: Request, res: Response, source: Record<string, unknown>) {
    if (!deps.linkKey) {
      page(res, 404, 'Ikke i bruk', '<p>Eieroppslag via lenke er ikke slått på for denne tjenesten.</p>');
      return null;
    }
    const key = typeof source.key === 'string' ? source.key : undefined;
    if (!secretMatches(key, deps.linkKey)) {
      deps.logger.warn('owner lookup link refused', {
        status: 401,
        reason: key ? 'wrong key' : 'missing key',
        ip: req.ip,
      });
      page(
        res,
        401,
        'Ugyldig lenke',
        '<p>Lenken mangler eller har feil nøkkel. Be den som satte opp basen om en ny knapp.</p>',
      );
      return null;
    }
    const recordId = typeof source.recordId === 'string' ? source.recordId : '';
    const lot = /^rec[A-Za-z0-9]{14}$/.test(recordId) ? await deps.lots.byRecordId(recordId) : null;
    if (!lot || lot.matrikkelenheter.length === 0) {
      deps.logger.warn('owner lookup link refused', { status: 404, reason: 'not a lot', ip: req.ip });
      page(res, 404, 'Fant ikke tomten', '<p>Posten er ikke en tomt i Tomtejakt.</p>');
      return null;
    }
    return { lot, key: key!, recordId };
  }

  router.get('/', async (req, res) => {
    const ok = await checked(req, res, req.query);
    if (!ok) return;
    page(
      res,
      200,
      `Hent eiere for ${ok.lot.tomtId}`,
      '<p>Hjemmelshaverne hentes fra Matrikkelen og skrives inn i Airtable. Oppslaget loggføres med navnet ditt.</p>' +
        '<form method="post">' +
        `<input type="hidden" name="recordId" value="${escapeHtml(ok.recordId)}">` +
        `<input type="hidden" name="key" value="${escapeHtml(ok.key)}">` +
        '<label for="who">Hvem ber om oppslaget? (navn eller e-post)</label>' +
        '<input id="who" name="requestedBy" required maxlength="200" autocomplete="name">' +
        '<button type="submit">Hent eiere</button></form>',
    );
  });

  router.post('/', express.urlencoded({ extended: false, limit: '4kb' }), async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const ok = await checked(req, res, body);
    if (!ok) return;
    const who = typeof body.requestedBy === 'string' ? body.requestedBy.trim().slice(0, 200) : '';
    if (!who) {
      page(
        res,
        400,
        'Mangler navn',
        '<p>Skriv navnet ditt eller e-postadressen din, så oppslaget kan loggføres.</p>',
      );
      return;
    }
    const { job, joined } = deps.enqueue({
      lot: ok.lot,
      requestedBy: who,
      via: 'link',
      purpose: deps.purpose,
    });
    deps.logger.info('owner lookup requested', { jobId: job.id, tomtId: ok.lot.tomtId, joined, via: 'link' });
    page(
      res,
      202,
      'Eieroppslag startet',
      `<p>Eierne av ${escapeHtml(ok.lot.tomtId)} kommer inn i Airtable om noen sekunder. Du kan lukke denne fanen.</p>`,
    );
  });

  return router;
}
