import { isAreaGeometry, type AreaGeometry, type PointGeometry } from '../../domain/geometry.js';
import type { Kommune } from '../../domain/kommune.js';
import { bboxOf, isWithin } from '../../geo/crs.js';
import { InputError, SourceError } from '../../util/errors.js';
import { FeatureProblem, FormatError } from '../files/format-error.js';
import { normalizeGeometry } from '../files/normalize-geometry.js';
import { resolveSourceCrs, type SourceCrs } from '../files/source-crs.js';
import { checkedGet, type SourceHttp } from '../checked-get.js';
import type { FetchOptions } from '../plan-source.js';
import { bundledKommune } from './bundled-kommuner.js';
import { pointInside } from '../../geo/point-inside.js';

export interface KommuneInfo {
  kommune: Kommune;
  /** EPSG:25833. */
  boundary: AreaGeometry;
  centre: PointGeometry;
  /** "kommuneinfo" or "bundled-2024" (the offline fallback). */
  source: string;
  /** Why the fallback was used, when it was. */
  fallbackReason?: string;
}

const UTM33: SourceCrs = { epsg: 25833, latFirst: false, name: 'EPSG:25833' };

/**
 * Kartverket's kommuneinfo REST API (`/kommuner/{nr}/omrade?utkoordsys=25833`): name, fylke,
 * boundary and a point inside. When the API fails, the bundled 2024 boundaries answer instead and
 * the result says so; an unknown kommunenummer is an error either way.
 */
export class KommuneinfoClient {
  readonly name = 'kommuneinfo';

  constructor(
    private readonly baseUrl: string,
    private readonly http: SourceHttp,
  ) {}

  async kommune(kommunenummer: string, options: FetchOptions = {}): Promise<KommuneInfo> {
    let answer: KommuneInfo | null;
    try {
      answer = await this.fromApi(kommunenummer, options);
    } catch (error) {
      if (!(error instanceof SourceError)) throw error;
      const bundled = bundledKommune(kommunenummer);
      if (!bundled) throw error;
      return {
        kommune: bundled.kommune,
        boundary: bundled.boundary,
        centre: { type: 'Point', coordinates: pointInside(bundled.boundary) },
        source: 'bundled-2024',
        fallbackReason: error.message,
      };
    }
    if (!answer)
      throw new InputError(`kommune ${kommunenummer}`, 'kommuneinfo does not know this kommunenummer');
    return answer;
  }

  private async fromApi(kommunenummer: string, options: FetchOptions): Promise<KommuneInfo | null> {
    const url = `${this.baseUrl.replace(/\/+$/, '')}/kommuner/${kommunenummer}/omrade?utkoordsys=25833`;
    return checkedGet(
      this.http,
      { url, kommune: kommunenummer, acceptStatus: [404], signal: options.signal },
      (response) => {
        if (response.status === 404) return null;
        let json: Record<string, unknown>;
        try {
          json = JSON.parse(response.text()) as Record<string, unknown>;
        } catch {
          throw new FormatError(
            /^\s*</.test(response.text()) ? 'html-error-page' : 'malformed',
            'the kommune answer is not JSON',
          );
        }
        if (String(json.kommunenummer ?? '') !== kommunenummer) {
          throw new FormatError(
            'malformed',
            `answered kommunenummer ${String(json.kommunenummer)}, asked for ${kommunenummer}`,
          );
        }
        const boundary = geometryOf(json.omrade, 'omrade');
        if (!isAreaGeometry(boundary)) throw new FormatError('malformed', '"omrade" is not an area');
        if (!isWithin(bboxOf(boundary))) {
          throw new FormatError(
            'outside-norway',
            `the boundary lies outside Norway (${bboxOf(boundary).map(Math.round).join(', ')})`,
          );
        }
        const point = json.punktIOmrade ? geometryOf(json.punktIOmrade, 'punktIOmrade') : null;
        return {
          kommune: {
            kommunenummer,
            navn: String(json.kommunenavnNorsk ?? json.kommunenavn ?? kommunenummer),
            fylkesnummer: String(json.fylkesnummer ?? kommunenummer.slice(0, 2)).padStart(2, '0'),
            fylkesnavn: typeof json.fylkesnavn === 'string' ? json.fylkesnavn : null,
          },
          boundary,
          centre: point?.type === 'Point' ? point : { type: 'Point', coordinates: pointInside(boundary) },
          source: this.name,
        };
      },
    );
  }
}

/** A kommuneinfo geometry (carries its own `crs` member; we asked utkoordsys=25833). */
function geometryOf(value: unknown, what: string) {
  if (typeof value !== 'object' || value === null) throw new FormatError('malformed', `"${what}" is missing`);
  const crsName = (value as { crs?: { properties?: { name?: string } } }).crs?.properties?.name;
  const crs = crsName ? resolveSourceCrs(crsName) : UTM33;
  if (!crs) throw new FormatError('unexpected-crs', `"${what}" is in an unknown CRS ${crsName}`);
  if (crs.epsg !== 25833)
    throw new FormatError('unexpected-crs', `asked for EPSG:25833, "${what}" is in ${crsName}`);
  try {
    return normalizeGeometry(value, { ...crs, latFirst: false }).geometry;
  } catch (error) {
    if (error instanceof FeatureProblem) throw new FormatError('malformed', `"${what}": ${error.message}`);
    throw error;
  }
}
