import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mapAccessOf } from '../../../../sync/src/app/map-access.js';
import { createMapUserCommand } from '../../../../sync/src/cli/commands/map-user.js';
import { main } from '../../../../sync/src/cli/main.js';
import type { PasswordInput } from '../../../../sync/src/cli/read-password.js';
import { loadEnv } from '../../../../sync/src/config/env.js';
import { createApp } from '../../../../sync/src/server/app.js';
import { verifyPassword } from '../../../../sync/src/util/password-hash.js';

/** `tomtejakt map-user <name>`: the entry it prints is one MAP_USERS accepts and the login verifies. */
const PASSWORD = 'tre ord og et tall 7';

afterEach(() => vi.restoreAllMocks());

async function mapUser(name: string, input: PasswordInput) {
  const prompts: string[] = [];
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((err += String(chunk)), true));
  const command = createMapUserCommand({ input, prompt: (text) => void prompts.push(text) });
  const code = await main(['node', 'tomtejakt', 'map-user', name], [command]);
  vi.restoreAllMocks();
  process.exitCode = undefined;
  return { code, out, err, prompts };
}

/** Piped input: the text, then the end of the stream. */
function piped(text: string): PasswordInput {
  const stream = new PassThrough();
  stream.end(text);
  return stream;
}

/** A terminal: isTTY, raw mode recorded; keys are typed once the prompt has been shown. */
function terminal(keys: string[]) {
  const stream = new PassThrough() as PassThrough & PasswordInput & { modes: boolean[] };
  stream.isTTY = true;
  stream.modes = [];
  stream.setRawMode = (raw: boolean) => stream.modes.push(raw);
  const typeNext = () => setImmediate(() => keys.length && stream.write(keys.shift()!));
  return { stream, typeNext };
}

describe('tomtejakt map-user', () => {
  it('prints an entry that MAP_USERS accepts and that logs in with the password (piped input)', async () => {
    const { code, out, prompts } = await mapUser('kari@firma.no', piped(`${PASSWORD}\nignored\n`));
    expect(code).toBe(0);
    const entry = out.trim();
    expect(entry).toMatch(/^kari@firma\.no:scrypt\.32768\.8\.3\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
    expect(out).not.toContain(PASSWORD);
    expect(prompts).toEqual([
      'Add this entry to MAP_USERS in .env (separate entries with commas), then restart the service.\n',
    ]);

    const source = { MAP_ACCESS: 'login', MAP_USERS: entry, MAP_SESSION_SECRET: 'z'.repeat(40) };
    const env = loadEnv({ source });
    const hash = env.MAP_USERS![0]!.hash;
    expect(await verifyPassword(PASSWORD, hash)).toBe(true);
    expect(await verifyPassword(`${PASSWORD}!`, hash)).toBe(false);

    const server = createApp({
      lots: { active: () => [], byId: () => null },
      health: () => ({ httpStatus: 200, body: { status: 'ok' } }),
      access: mapAccessOf(env),
    }).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const { port } = server.address() as { port: number };
      const response = await fetch(`http://127.0.0.1:${port}/logg-inn`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          bruker: 'kari@firma.no',
          passord: PASSWORD,
          neste: '/api/lots',
        }).toString(),
        redirect: 'manual',
      });
      expect(response.status).toBe(303);
      const cookie = response.headers.getSetCookie()[0]!.split(';')[0]!;
      const lots = await fetch(`http://127.0.0.1:${port}/api/lots`, { headers: { cookie } });
      expect(lots.status).toBe(200);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('asks twice at a terminal without echo, with raw mode on while typing and off after', async () => {
    const { stream, typeNext } = terminal([
      `${PASSWORD.slice(0, 5)}x\u007f${PASSWORD.slice(5)}\r`,
      `${PASSWORD}\r`,
    ]);
    const prompts: string[] = [];
    let out = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true));
    const command = createMapUserCommand({
      input: stream,
      prompt: (text) => {
        prompts.push(text);
        if (text.includes('assword')) typeNext();
      },
    });
    const code = await main(['node', 'tomtejakt', 'map-user', 'per'], [command]);
    vi.restoreAllMocks();
    process.exitCode = undefined;
    expect(code).toBe(0);
    expect(prompts.slice(0, 4)).toEqual(['Password: ', '\n', 'Repeat the password: ', '\n']);
    expect(prompts.join('')).not.toContain(PASSWORD.slice(0, 5));
    expect(stream.modes).toEqual([true, false, true, false]);
    const entry = out.trim();
    expect(entry).toMatch(/^per:scrypt\./);
    const env = loadEnv({
      source: { MAP_ACCESS: 'login', MAP_USERS: entry, MAP_SESSION_SECRET: 'z'.repeat(40) },
    });
    expect(await verifyPassword(PASSWORD, env.MAP_USERS![0]!.hash)).toBe(true);
  });

  it('refuses two different passwords at a terminal, a short password and a name MAP_USERS cannot hold', async () => {
    const { stream, typeNext } = terminal([`${PASSWORD}\r`, `${PASSWORD}?\r`]);
    const differ = createMapUserCommand({
      input: stream,
      prompt: (t) => t.includes('assword') && typeNext(),
    });
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(await main(['node', 'tomtejakt', 'map-user', 'per'], [differ])).toBe(1);
    vi.restoreAllMocks();

    const short = await mapUser('per', piped('kort\n'));
    expect(short.code).toBe(1);
    expect(short.err).toContain('password: use at least 12 characters');
    expect(short.out).toBe('');

    const badName = await mapUser('kari,per', piped(`${PASSWORD}\n`));
    expect(badName.code).toBe(1);
    expect(badName.err).toContain('<name>: use letters, digits');
  });
});
