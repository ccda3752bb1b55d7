import { crc32 } from 'node:zlib';

/** An entry already deflated (raw deflate), with the size and CRC-32 of what it inflates to. */
export interface DeflatedEntry {
  deflated: Buffer;
  size: number;
  crc: number;
}

/** A minimal zip archive (stored, or deflated when an entry comes deflated) for tests that read archives. */
export function zipOf(entries: Record<string, Buffer | string | DeflatedEntry>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(entries)) {
    const packed = isDeflated(content) ? content : null;
    const data: Buffer = isDeflated(content)
      ? content.deflated
      : typeof content === 'string'
        ? Buffer.from(content)
        : content;
    const size = packed ? packed.size : data.length;
    const method = packed ? 8 : 0;
    const fileName = Buffer.from(name, 'utf8');
    const crc = packed ? packed.crc : crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(fileName.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(fileName.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, fileName, data);
    centrals.push(central, fileName);
    offset += local.length + fileName.length + data.length;
  }
  const centralSize = centrals.reduce((sum, b) => sum + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}

function isDeflated(content: Buffer | string | DeflatedEntry): content is DeflatedEntry {
  return typeof content === 'object' && !Buffer.isBuffer(content) && 'deflated' in content;
}
