import { accessSync, constants, mkdirSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import type { Env } from '../config/env.js';
import { openStore, type Db } from '../store/database.js';
import { ConfigError } from '../util/errors.js';

/**
 * Opens the store after checking where it lives, so a wrong DATA_DIR or STORE_PATH ends with the
 * key and what to do instead of SQLite's or the filesystem's own words: DATA_DIR must be a folder
 * the service may write to (it is made when missing), STORE_PATH a SQLite file (or nothing yet)
 * in such a folder.
 */
export function openStoreAt(env: Pick<Env, 'DATA_DIR' | 'storePath'>): Db {
  writableFolder('DATA_DIR', path.resolve(env.DATA_DIR));
  const store = statOf(env.storePath);
  if (store?.isDirectory())
    throw new ConfigError(
      'STORE_PATH',
      `${env.storePath} is a folder; STORE_PATH names the SQLite file, e.g. ${path.join(env.storePath, 'tomtejakt.sqlite')}`,
    );
  writableFolder('STORE_PATH', path.dirname(env.storePath));
  if (store && !canWrite(env.storePath))
    throw new ConfigError('STORE_PATH', `${env.storePath} is not writable by this user; fix its permissions`);
  try {
    return openStore(env.storePath);
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    if (/^SQLITE_(NOTADB|CORRUPT|CANTOPEN|READONLY|PERM)/.test(code))
      throw new ConfigError(
        'STORE_PATH',
        `${env.storePath} cannot be opened as the store (${code}: ${(error as Error).message}); point STORE_PATH at the service's SQLite file or at a new one`,
      );
    throw error;
  }
}

function writableFolder(key: string, folder: string): void {
  const stats = statOf(folder);
  if (stats && !stats.isDirectory())
    throw new ConfigError(
      key,
      `${folder} is a file, not a folder; point ${key} at a folder the service may write to`,
    );
  if (!stats) {
    try {
      mkdirSync(folder, { recursive: true });
    } catch (error) {
      throw new ConfigError(
        key,
        `the folder ${folder} cannot be made (${(error as { code?: string }).code ?? (error as Error).message}); choose a folder the service may write to`,
      );
    }
  }
  if (!canWrite(folder))
    throw new ConfigError(
      key,
      `the folder ${folder} is not writable by this user; fix its permissions or choose another`,
    );
}

function statOf(file: string): Stats | null {
  try {
    return statSync(file);
  } catch {
    return null;
  }
}

function canWrite(file: string): boolean {
  try {
    accessSync(file, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
