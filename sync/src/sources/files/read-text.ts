import type { Readable } from 'node:stream';
import { InputError } from '../../util/errors.js';
import { FormatError } from './format-error.js';

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}

/** A reading failure as the CLI reports it: the file, (the feature,) the problem. */
export function asInputError(error: unknown, file: string): unknown {
  if (error instanceof InputError) return error;
  if (error instanceof FormatError) return new InputError(file, error.message);
  // A document nested deeper than any plan (thousands of levels) overflows the readers' recursion.
  if (error instanceof RangeError && /call stack/i.test(error.message))
    return new InputError(file, 'nested too deeply to be a plan or parcel document');
  const code = (error as { code?: string }).code;
  if (code && /^(E[A-Z]+|Z_\w+|ERR_\w+|SQLITE_\w+)$/.test(code)) {
    return new InputError(file, `cannot read: ${(error as Error).message}`);
  }
  return error;
}
