import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, open, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import yauzl from 'yauzl';
import { InputError } from '../../util/errors.js';

export type InputFormat = 'geojson' | 'gml' | 'gpkg';

/** One readable document found under the path a user gave. */
export interface InputEntry {
  /** For messages: a path, or "archive.zip!folder/file.gml". */
  name: string;
  format: InputFormat;
  /** File name without directories and extensions: a feature-type hint ("KpArealformålOmråde"). */
  stem: string;
  /** The document's bytes, decompressed. */
  open(): Promise<Readable>;
  /** A path on disk holding the bytes (GeoPackage needs one); extracted to a temp file when packed. */
  localFile(): Promise<string>;
}

export interface InputSet {
  entries: InputEntry[];
  /** Closes archives and removes temp files. */
  close(): Promise<void>;
}

/**
 * A packed document may unpack to at most UNPACK_RATIO times its packed size (plan GML packs about
 * 10–20 to 1), and always to UNPACK_FLOOR_BYTES: more is a decompression bomb, refused before it
 * fills memory or disk.
 */
export const UNPACK_RATIO = 100;
export const UNPACK_FLOOR_BYTES = 64 * 1024 * 1024;

const unpackLimit = (packedBytes: number) => Math.max(UNPACK_FLOOR_BYTES, packedBytes * UNPACK_RATIO);
const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024).toLocaleString('en-GB')} MB`;

/** Passes the unpacked bytes on until they pass the limit, then fails naming the document. */
function limitUnpacked(name: string, packedBytes: number): Transform {
  const limit = unpackLimit(packedBytes);
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen <= limit) return done(null, chunk);
      done(
        new InputError(
          name,
          `unpacks to more than ${mb(limit)} from ${mb(packedBytes)} packed: refused as a decompression bomb`,
        ),
      );
    },
  });
}

/** Gunzips a stream of `packedBytes`, failing once it unpacks past its limit. */
function gunzipLimited(stream: Readable, name: string, packedBytes: number): Readable {
  // 256 KB pieces instead of 16 KB: a sixteenth of the round trips to the thread pool and back.
  const gunzip = createGunzip({ chunkSize: 256 * 1024 });
  const limited = limitUnpacked(name, packedBytes);
  stream.on('error', (error) => limited.destroy(error));
  gunzip.on('error', (error) => limited.destroy(error));
  return stream.pipe(gunzip).pipe(limited);
}

const BY_EXTENSION: Record<string, InputFormat | 'zip' | 'gz' | 'sosi'> = {
  '.geojson': 'geojson',
  '.json': 'geojson',
  '.gml': 'gml',
  '.xml': 'gml',
  '.gpkg': 'gpkg',
  '.zip': 'zip',
  '.gz': 'gz',
  '.sos': 'sosi',
};

/**
 * Finds the documents under a path: a single file, a folder (recursively, in name order), a
 * `.zip` (as the Geonorge/NAP download delivers) or a gzip file. The format comes from the
 * extension and, where that says nothing (`.gz`, unknown names), from the first bytes.
 */
export async function openInputs(input: string): Promise<InputSet> {
  const cleanups: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };
  try {
    let info;
    try {
      info = await stat(input);
    } catch {
      throw new InputError(input, 'no such file or folder');
    }
    const entries: InputEntry[] = [];
    if (info.isDirectory()) {
      const files = await listFolder(input);
      for (const file of files) entries.push(...(await entriesOfFile(file, cleanups, false)));
      if (entries.length === 0) {
        throw new InputError(
          input,
          'the folder holds no .gml, .xml, .geojson, .json, .gpkg, .zip or .gz file',
        );
      }
    } else {
      entries.push(...(await entriesOfFile(input, cleanups, true)));
      if (entries.length === 0)
        throw new InputError(input, 'the archive holds no .gml, .geojson, .json or .gpkg file');
    }
    return { entries, close };
  } catch (error) {
    await close();
    throw error;
  }
}

async function listFolder(folder: string): Promise<string[]> {
  const found = await readdir(folder, { recursive: true, withFileTypes: true });
  return found
    .filter((d) => d.isFile() && !d.name.startsWith('.') && BY_EXTENSION[path.extname(d.name).toLowerCase()])
    .map((d) => path.join(d.parentPath, d.name))
    .sort();
}

async function entriesOfFile(
  file: string,
  cleanups: Array<() => Promise<void>>,
  explicit: boolean,
): Promise<InputEntry[]> {
  const kind = BY_EXTENSION[path.extname(file).toLowerCase()] ?? (await sniffFile(file));
  if (kind === 'sosi')
    throw new InputError(file, 'SOSI text files (.sos) are not read; use the GML or GeoPackage download');
  if (kind === 'zip') return zipEntries(file, file, cleanups);
  if (kind === 'gz') {
    const inner = path.basename(file).replace(/\.gz$/i, '');
    const format = formatOfName(inner) ?? sniffBytes(await gunzipHead(file));
    if (!format || format === 'zip' || format === 'gz') {
      throw new InputError(file, 'the gzip file does not hold GML, GeoJSON or GeoPackage');
    }
    const packedBytes = (await stat(file)).size;
    return [
      packedEntry(
        file,
        inner,
        format,
        () => Promise.resolve(gunzipLimited(createReadStream(file), file, packedBytes)),
        cleanups,
      ),
    ];
  }
  if (!kind) {
    if (explicit)
      throw new InputError(file, 'not GML, GeoJSON, GeoPackage, zip or gzip (unrecognised content)');
    return [];
  }
  return [
    {
      name: file,
      format: kind,
      stem: stemOf(file),
      open: () => Promise.resolve(createReadStream(file)),
      localFile: () => Promise.resolve(file),
    },
  ];
}

async function zipEntries(
  zipPath: string,
  displayName: string,
  cleanups: Array<() => Promise<void>>,
): Promise<InputEntry[]> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(zipPath, { lazyEntries: true, autoClose: false });
  } catch (error) {
    throw new InputError(displayName, `not a readable zip archive: ${(error as Error).message}`);
  }
  cleanups.push(async () => zip.close());
  const result: InputEntry[] = [];
  const packed: yauzl.Entry[] = [];
  try {
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName.endsWith('/') || path.basename(entry.fileName).startsWith('.')) continue;
      if (BY_EXTENSION[path.extname(entry.fileName).toLowerCase()]) packed.push(entry);
    }
  } catch (error) {
    throw new InputError(displayName, `broken zip archive: ${(error as Error).message}`);
  }
  packed.sort((a, b) => a.fileName.localeCompare(b.fileName));
  for (const entry of packed) {
    const name = `${displayName}!${entry.fileName}`;
    // yauzl holds an entry to its declared size, so the declared size is the one to check.
    if (entry.uncompressedSize > unpackLimit(entry.compressedSize))
      throw new InputError(
        name,
        `unpacks to ${mb(entry.uncompressedSize)} from ${mb(entry.compressedSize)} packed: refused as a decompression bomb`,
      );
    const openEntry = () => zip.openReadStreamPromise(entry);
    const kind = BY_EXTENSION[path.extname(entry.fileName).toLowerCase()]!;
    if (kind === 'sosi')
      throw new InputError(name, 'SOSI text files (.sos) are not read; use the GML or GeoPackage download');
    if (kind === 'zip') {
      const local = await extract(openEntry, path.basename(entry.fileName), cleanups);
      result.push(...(await zipEntries(local, name, cleanups)));
    } else if (kind === 'gz') {
      const inner = path.basename(entry.fileName).replace(/\.gz$/i, '');
      const format = formatOfName(inner);
      if (!format) throw new InputError(name, 'cannot tell what the gzip entry holds from its name');
      result.push(
        packedEntry(
          name,
          inner,
          format,
          async () => gunzipLimited(await openEntry(), name, entry.compressedSize),
          cleanups,
        ),
      );
    } else {
      result.push(packedEntry(name, entry.fileName, kind, openEntry, cleanups));
    }
  }
  return result;
}

function packedEntry(
  name: string,
  innerName: string,
  format: InputFormat,
  openStream: () => Promise<Readable>,
  cleanups: Array<() => Promise<void>>,
): InputEntry {
  let local: Promise<string> | undefined;
  return {
    name,
    format,
    stem: stemOf(innerName),
    open: openStream,
    localFile: () => (local ??= extract(openStream, path.basename(innerName), cleanups)),
  };
}

async function extract(
  openStream: () => Promise<Readable>,
  fileName: string,
  cleanups: Array<() => Promise<void>>,
): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tomtejakt-input-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const target = path.join(dir, fileName);
  await pipeline(await openStream(), createWriteStream(target));
  return target;
}

function formatOfName(name: string): InputFormat | null {
  const kind = BY_EXTENSION[path.extname(name).toLowerCase()];
  return kind === 'geojson' || kind === 'gml' || kind === 'gpkg' ? kind : null;
}

function stemOf(name: string): string {
  return path.basename(name).replace(/(\.[A-Za-z0-9]+)+$/, '');
}

async function sniffFile(file: string): Promise<InputFormat | 'zip' | 'gz' | null> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(64);
    const { bytesRead } = await handle.read(buffer, 0, 64, 0);
    return sniffBytes(buffer.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

async function gunzipHead(file: string): Promise<Buffer> {
  const stream = createReadStream(file).pipe(createGunzip());
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      chunks.push(chunk as Buffer);
      size += (chunk as Buffer).length;
      if (size >= 64) break;
    }
  } catch (error) {
    throw new InputError(file, `broken gzip file: ${(error as Error).message}`);
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks);
}

/** Format from the first bytes (after a UTF-8 BOM and white space). */
export function sniffBytes(head: Uint8Array): InputFormat | 'zip' | 'gz' | null {
  const buffer = Buffer.from(head);
  if (buffer.subarray(0, 16).toString('latin1') === 'SQLite format 3\0') return 'gpkg';
  if (buffer[0] === 0x50 && buffer[1] === 0x4b && buffer[2] === 0x03 && buffer[3] === 0x04) return 'zip';
  if (buffer[0] === 0x1f && buffer[1] === 0x8b) return 'gz';
  const text = buffer.toString('utf8').replace(/^[\uFEFF\s]+/, '');
  if (text.startsWith('{')) return 'geojson';
  if (text.startsWith('<')) return 'gml';
  return null;
}
