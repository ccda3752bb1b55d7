/** A NACE code with its wording, as the Enhetsregisteret gives it. */
export interface NaceCode {
  kode: string;
  beskrivelse: string;
}

/**
 * The first of a unit's NACE codes that marks a property developer or builder, or null. Codes are
 * always "dd.ddd", so an entry matches a code equal to it or starting with it ("41" matches 41.000).
 */
export function developerCode(codes: readonly NaceCode[], list: readonly string[]): NaceCode | null {
  return codes.find((c) => list.some((entry) => c.kode.startsWith(entry))) ?? null;
}
