import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Request signing for the owner-lookup webhook. The caller sends
 *   X-Tomtejakt-Timestamp: <unix seconds>
 *   X-Tomtejakt-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>
 * Binding the timestamp into the MAC stops an old body being re-sent with a fresh timestamp;
 * requests older (or newer) than five minutes are refused, and each signature is accepted once.
 */
export const SIGNATURE_HEADER = 'x-tomtejakt-signature';
export const TIMESTAMP_HEADER = 'x-tomtejakt-timestamp';
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export function signPayload(secret: string, timestamp: string, rawBody: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex')}`;
}

export type SignatureCheck =
  | { ok: true; signature: string; timestamp: number }
  | { ok: false; reason: 'missing' | 'malformed' | 'stale' | 'mismatch'; message: string };

export function verifySignature(
  secret: string,
  headers: { signature?: string | string[]; timestamp?: string | string[] },
  rawBody: Buffer,
  nowSeconds: number,
): SignatureCheck {
  const signature = single(headers.signature);
  const timestamp = single(headers.timestamp);
  if (!signature || !timestamp) {
    return {
      ok: false,
      reason: 'missing',
      message: `both ${SIGNATURE_HEADER} and ${TIMESTAMP_HEADER} are required`,
    };
  }
  if (!/^\d{9,11}$/.test(timestamp) || !/^sha256=[0-9a-f]{64}$/i.test(signature)) {
    return {
      ok: false,
      reason: 'malformed',
      message: `${TIMESTAMP_HEADER} must be unix seconds and ${SIGNATURE_HEADER} "sha256=<64 hex digits>"`,
    };
  }
  const age = nowSeconds - Number(timestamp);
  if (Math.abs(age) > SIGNATURE_TOLERANCE_SECONDS) {
    return {
      ok: false,
      reason: 'stale',
      message: `the timestamp is ${Math.round(age)} s off the service's clock (at most ${SIGNATURE_TOLERANCE_SECONDS} s allowed)`,
    };
  }
  const expected = Buffer.from(signPayload(secret, timestamp, rawBody).slice(7), 'hex');
  const given = Buffer.from(signature.slice(7), 'hex');
  // Defence in depth: the format check already admits exactly 64 hex digits (32 bytes each side),
  // but a loosened format must still end in a refusal, not in timingSafeEqual throwing.
  // Stryker disable next-line ConditionalExpression,EqualityOperator,LogicalOperator: unreachable while the format check admits only 64 hex digits
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'mismatch', message: 'the signature does not match the body and timestamp' };
  }
  return { ok: true, signature: signature.toLowerCase(), timestamp: Number(timestamp) };
}

/** Constant-time comparison of a presented secret, whatever its length (both sides are hashed first). */
export function secretMatches(presented: string | undefined, expected: string): boolean {
  if (!presented) return false;
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** The token of an `Authorization: Bearer <token>` header. */
export function bearerToken(header: string | undefined): string | undefined {
  return header?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
