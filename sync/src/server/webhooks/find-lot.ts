import type { LotParcels, LotParcelsLookup } from '../../domain/lot-parcels.js';
import { messageOf } from '../../util/errors.js';
import type { Logger } from '../../util/logger.js';
import { Refusal } from './refusal.js';

/**
 * The lot a request names (by Airtable record id, else by Tomt-ID). A lot without parcels cannot
 * be looked up, so it is refused like a missing one; a lot register that cannot be read is a 503
 * (try again), not a 404.
 */
export async function findLot(
  lots: LotParcelsLookup,
  logger: Logger,
  body: { recordId?: string | undefined; tomtId?: string | undefined },
): Promise<LotParcels> {
  let lot: LotParcels | null;
  try {
    lot = body.recordId ? await lots.byRecordId(body.recordId) : await lots.byTomtId(body.tomtId!);
  } catch (error) {
    logger.error('owner lookup: the lot lookup failed', { error: messageOf(error) });
    throw new Refusal(503, 'lots-unavailable', 'the lot register could not be read; try again shortly');
  }
  if (!lot || lot.matrikkelenheter.length === 0) {
    throw new Refusal(
      404,
      'not-a-lot',
      body.recordId
        ? `record ${body.recordId} is not a lot in Tomtejakt`
        : `no lot has Tomt-ID ${body.tomtId}`,
    );
  }
  return lot;
}
