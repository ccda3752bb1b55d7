import { SourceError } from '../../util/errors.js';

export const BRREG_SOURCE = 'enhetsregisteret';

/** What Tomtejakt keeps of a unit in the Enhetsregisteret (an organisation owner). */
export interface Enhet {
  organisasjonsnummer: string;
  navn: string;
  organisasjonsform: { kode: string; beskrivelse: string } | null;
  /** naeringskode1, 2 and 3 as given (SN2007 before about 2025-09-01, SN2025 after), main code first. */
  naeringskoder: Array<{ kode: string; beskrivelse: string }>;
  /** "Løkkeveien 18, 3085 HOLMESTRAND", or null when none is registered. */
  forretningsadresse: string | null;
  konkurs: boolean;
  underAvvikling: boolean;
  underTvangsavvikling: boolean;
}

/** The answer for one organisation number: a unit, a deleted one, or none. */
export type EnhetLookup =
  | { kind: 'found'; enhet: Enhet }
  /** Only `slettedato` is given for a deleted unit (HTTP 200), or HTTP 410. */
  | { kind: 'deleted'; organisasjonsnummer: string; slettedato: string | null }
  | { kind: 'not-found'; organisasjonsnummer: string };

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

function code(v: unknown): { kode: string; beskrivelse: string } | null {
  if (!isObject(v)) return null;
  const kode = text(v.kode);
  return kode ? { kode, beskrivelse: text(v.beskrivelse) ?? '' } : null;
}

function address(v: unknown): string | null {
  if (!isObject(v)) return null;
  const lines = Array.isArray(v.adresse) ? v.adresse.map(text).filter((l): l is string => l !== null) : [];
  const place = [text(v.postnummer), text(v.poststed)].filter(Boolean).join(' ');
  const parts = [...lines, place].filter((p) => p !== '');
  return parts.length ? parts.join(', ') : null;
}

/**
 * Reads `GET /enheter/{orgnr}` (recorded responses in test/fixtures/brreg). A deleted unit has
 * only its number, name, form and `slettedato`; anything without a number is malformed.
 */
export function parseEnhet(body: unknown, url: string): EnhetLookup {
  if (!isObject(body) || !text(body.organisasjonsnummer))
    throw new SourceError('malformed', 'no organisasjonsnummer in the answer', { source: BRREG_SOURCE, url });
  const organisasjonsnummer = text(body.organisasjonsnummer)!;
  if (text(body.slettedato))
    return { kind: 'deleted', organisasjonsnummer, slettedato: text(body.slettedato) };
  return {
    kind: 'found',
    enhet: {
      organisasjonsnummer,
      navn: text(body.navn) ?? organisasjonsnummer,
      organisasjonsform: code(body.organisasjonsform),
      naeringskoder: [body.naeringskode1, body.naeringskode2, body.naeringskode3]
        .map(code)
        .filter((c): c is { kode: string; beskrivelse: string } => c !== null),
      forretningsadresse: address(body.forretningsadresse),
      konkurs: body.konkurs === true,
      underAvvikling: body.underAvvikling === true,
      underTvangsavvikling: body.underTvangsavviklingEllerTvangsopplosning === true,
    },
  };
}
