import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { ConfigError, InputError } from '../util/errors.js';

/**
 * Validates a JSON configuration value against its zod schema; the first problem becomes a
 * ConfigError naming the file (or origin), the path inside it and why.
 */
export function parseJsonConfig<S extends z.ZodType>(schema: S, value: unknown, origin: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`${origin}: ${issue.path.join('.') || '(root)'}`, messageOf(issue));
  }
  return parsed.data;
}

/** zod reports a bad record key as "Invalid key in record"; the key's own rule says why. */
function messageOf(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_key' && issue.issues[0]) return issue.issues[0].message;
  return issue.message;
}

/** Reads and validates a JSON configuration file (the rule file, the sources file). */
export function loadJsonConfig<S extends z.ZodType>(schema: S, file: string, what: string): z.infer<S> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(file, `cannot read the ${what} (${(error as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InputError(file, `not valid JSON (${(error as Error).message})`);
  }
  return parseJsonConfig(schema, json, file);
}
