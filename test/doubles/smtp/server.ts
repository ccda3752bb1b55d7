import { createServer, type Socket } from 'node:net';

/** A message as the double received it: the envelope and the raw RFC 5322 text. */
export interface ReceivedMail {
  from: string;
  to: string[];
  data: string;
}

export interface SmtpDouble {
  /** smtp://127.0.0.1:<port> (no TLS, no authentication: a local test server). */
  url: string;
  messages: ReceivedMail[];
  /** The next `count` messages are refused at the end of DATA with 554, as a spam filter would. */
  refuseNext(count?: number): void;
  close(): Promise<void>;
}

/**
 * A local SMTP server (RFC 5321) that keeps what it is sent: EHLO/HELO, MAIL, RCPT, DATA with
 * dot-unstuffing, RSET, NOOP, QUIT. It offers no STARTTLS and no AUTH, so a client connects in
 * plain text, as to a relay on the same machine.
 */
export async function startSmtpDouble(): Promise<SmtpDouble> {
  const messages: ReceivedMail[] = [];
  let refuse = 0;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    session(socket, (mail) => {
      if (refuse > 0) {
        refuse -= 1;
        return false;
      }
      messages.push(mail);
      return true;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    refuseNext: (count = 1) => void (refuse = count),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function session(socket: Socket, deliver: (mail: ReceivedMail) => boolean): void {
  let buffer = '';
  let envelope: { from: string; to: string[] } | null = null;
  let data: string[] | null = null;
  const reply = (line: string) => socket.write(`${line}\r\n`);
  reply('220 smtp-double ESMTP ready');
  const command = (line: string) => {
    const verb = line.slice(0, 4).toUpperCase();
    if (verb === 'EHLO') return reply('250-smtp-double\r\n250-8BITMIME\r\n250 SIZE 10485760');
    if (verb === 'HELO') return reply('250 smtp-double');
    if (verb === 'MAIL') return void ((envelope = { from: addressOf(line), to: [] }), reply('250 OK'));
    if (verb === 'RCPT') {
      if (!envelope) return reply('503 MAIL first');
      envelope.to.push(addressOf(line));
      return reply('250 OK');
    }
    if (verb === 'DATA') {
      if (!envelope?.to.length) return reply('503 RCPT first');
      data = [];
      return reply('354 End data with <CR><LF>.<CR><LF>');
    }
    if (verb === 'RSET') return void ((envelope = null), reply('250 OK'));
    if (verb === 'NOOP') return reply('250 OK');
    if (verb === 'QUIT') return void (reply('221 Bye'), socket.end());
    reply('502 Command not implemented');
  };
  socket.on('data', (chunk) => {
    buffer += chunk.toString('latin1');
    let end: number;
    while ((end = buffer.indexOf('\r\n')) >= 0) {
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (data === null) {
        command(line);
        continue;
      }
      if (line !== '.') {
        data.push(line.startsWith('.') ? line.slice(1) : line);
        continue;
      }
      const accepted = deliver({ ...envelope!, data: data.join('\r\n') });
      reply(accepted ? '250 OK: queued' : '554 Transaction failed: refused by the test');
      data = null;
      envelope = null;
    }
  });
  socket.on('error', () => undefined);
}

function addressOf(line: string): string {
  return /<([^>]*)>/.exec(line)?.[1] ?? '';
}
