import { InputError } from '../util/errors.js';

/** process.stdin, or a stream standing in for it in tests. */
export interface PasswordInput extends NodeJS.ReadableStream {
  isTTY?: boolean;
  setRawMode?(raw: boolean): unknown;
}

type Terminal = PasswordInput & { setRawMode(raw: boolean): unknown };

const CTRL_C = '\u0003';
const CTRL_D = '\u0004';
const BACKSPACE = ['\u007f', '\b'];

/**
 * A new password: typed twice at a terminal, never echoed; or the first line of piped input
 * (`printf '%s\n' "$PASSWORD" | tomtejakt map-user kari`), so it stays out of the shell history.
 */
export async function readNewPassword(input: PasswordInput, prompt: (text: string) => void): Promise<string> {
  input.setEncoding('utf8');
  if (!input.isTTY || !input.setRawMode) return firstLine(input);
  const terminal = input as Terminal;
  const password = await readHidden(terminal, prompt, 'Password: ');
  const again = await readHidden(terminal, prompt, 'Repeat the password: ');
  if (password !== again) throw new InputError('password', 'the two passwords differ');
  return password;
}

/** Raw mode, so the terminal shows nothing of what is typed; Enter ends, Ctrl-C gives up. */
function readHidden(input: Terminal, prompt: (text: string) => void, question: string): Promise<string> {
  prompt(question);
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = (outcome: () => void) => {
      input.removeListener('data', onData);
      input.setRawMode(false);
      input.pause();
      prompt('\n');
      outcome();
    };
    const onData = (chunk: string) => {
      for (const key of chunk) {
        if (key === '\r' || key === '\n') return finish(() => resolve(typed));
        if (key === CTRL_C || (key === CTRL_D && typed === ''))
          return finish(() => reject(new InputError('password', 'cancelled')));
        if (BACKSPACE.includes(key)) typed = Array.from(typed).slice(0, -1).join('');
        else if (key >= ' ') typed += key;
      }
    };
    input.setRawMode(true);
    input.on('data', onData);
    input.resume();
  });
}

function firstLine(input: PasswordInput): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const done = () => {
      input.removeListener('data', onData);
      input.removeListener('end', done);
      input.removeListener('error', reject);
      input.pause();
      resolve(text.split('\n')[0]!.replace(/\r$/, ''));
    };
    const onData = (chunk: string) => {
      text += chunk;
      if (text.includes('\n')) done();
    };
    input.on('data', onData);
    input.once('end', done);
    input.once('error', reject);
  });
}
