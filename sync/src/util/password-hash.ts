import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * Team passwords for the map login, kept as scrypt hashes in one self-describing text:
 *
 *   scrypt.<N>.<r>.<p>.<salt>.<key>        (salt and key in base64url)
 *
 * The cost travels with each hash, so a stronger default later never breaks stored entries.
 * Dots separate the parts, not `$` as in crypt(3): in `.env` files read by a shell or docker
 * compose a `$` starts a variable, and the hash would arrive cut short.
 */
export interface ScryptCost {
  N: number;
  r: number;
  p: number;
}

export interface PasswordHash extends ScryptCost {
  salt: Buffer;
  key: Buffer;
}

/** OWASP's N=2^15, r=8, p=3: 32 MiB and a few tenths of a second per guess. */
export const DEFAULT_COST: ScryptCost = { N: 2 ** 15, r: 8, p: 3 };

/** scrypt needs 128·N·r bytes; under 16 MiB a guess is too cheap, over 256 MiB a login too dear. */
const MIN_MEMORY = 16 * 1024 * 1024;
const MAX_MEMORY = 256 * 1024 * 1024;
const MAX_P = 16;
const SALT_BYTES = 16;
const KEY_BYTES = 32;
const FORMAT = 'scrypt.<N>.<r>.<p>.<salt>.<key>, as `tomtejakt map-user <name>` prints it';

export async function hashPassword(password: string, cost: ScryptCost = DEFAULT_COST): Promise<string> {
  checkCost(cost);
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, cost, salt, KEY_BYTES);
  return formatPasswordHash({ ...cost, salt, key });
}

export function formatPasswordHash(hash: PasswordHash): string {
  return [
    'scrypt',
    hash.N,
    hash.r,
    hash.p,
    hash.salt.toString('base64url'),
    hash.key.toString('base64url'),
  ].join('.');
}

/** Reads a hash; throws an Error saying what is wrong (never echoing the text). */
export function parsePasswordHash(text: string): PasswordHash {
  const parts = text.split('.');
  if (parts.length !== 6 || parts[0] !== 'scrypt') throw new Error(`expected ${FORMAT}`);
  const [N, r, p] = parts.slice(1, 4).map(positiveInteger);
  if (N === undefined || r === undefined || p === undefined)
    throw new Error(`N, r and p must be whole numbers (${FORMAT})`);
  const cost = { N, r, p };
  checkCost(cost);
  const salt = base64url(parts[4]!);
  const key = base64url(parts[5]!);
  if (!salt || salt.length < SALT_BYTES)
    throw new Error(`the salt must be at least ${SALT_BYTES} bytes of base64url`);
  if (!key || key.length < 16 || key.length > 64)
    throw new Error('the key must be 16 to 64 bytes of base64url');
  return { ...cost, salt, key };
}

/** Whether the password is the one hashed; the comparison takes the same time wherever they differ. */
export async function verifyPassword(password: string, hash: PasswordHash): Promise<boolean> {
  const key = await derive(password, hash, hash.salt, hash.key.length);
  return timingSafeEqual(key, hash.key);
}

function checkCost({ N, r, p }: ScryptCost): void {
  if (N < 2 || (N & (N - 1)) !== 0) throw new Error('N must be a power of two, e.g. 32768');
  const memory = 128 * N * r;
  if (memory < MIN_MEMORY)
    throw new Error('the cost is too low: 128·N·r must be at least 16 MiB (e.g. N=32768, r=8)');
  if (memory > MAX_MEMORY) throw new Error('the cost is too high: 128·N·r must be at most 256 MiB');
  if (p < 1 || p > MAX_P) throw new Error(`p must be 1 to ${MAX_P}`);
}

/** The same characters typed on two systems may arrive composed or decomposed (å); NFC makes them one. */
function derive(password: string, cost: ScryptCost, salt: Buffer, length: number): Promise<Buffer> {
  const { N, r, p } = cost;
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, length, { N, r, p, maxmem: 2 * 128 * N * r }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

function positiveInteger(text: string): number | undefined {
  return /^[1-9]\d{0,9}$/.test(text) ? Number(text) : undefined;
}

function base64url(text: string): Buffer | null {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return null;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : null;
}
