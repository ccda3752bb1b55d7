import type { Transporter } from 'nodemailer';

export interface MailAttachment {
  filename: string;
  content: Uint8Array;
  contentType: string;
}

export interface Mail {
  to: string[];
  subject: string;
  text: string;
  attachments: MailAttachment[];
}

/** Sends mail; the real one speaks SMTP (nodemailer), tests hand in a local SMTP double's URL. */
export interface MailSender {
  send(mail: Mail): Promise<{ messageId: string; accepted: string[] }>;
  close(): void;
}

/**
 * A sender over SMTP_URL (smtp://user:pass@host:587 with STARTTLS when the server offers it,
 * smtps://… for TLS from the start). nodemailer: the well-kept SMTP client for Node, no other
 * dependencies; its pool is not used, one report a week needs one connection.
 */
export function smtpMailSender(smtpUrl: string, from: string): MailSender {
  // nodemailer is loaded with the first mail, not with every command and start.
  let transport: Transporter | null = null;
  return {
    async send(mail) {
      transport ??= (await import('nodemailer')).default.createTransport(smtpUrl);
      const info = await transport.sendMail({
        from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        attachments: mail.attachments.map((a) => ({
          filename: a.filename,
          content: Buffer.from(a.content.buffer, a.content.byteOffset, a.content.byteLength),
          contentType: a.contentType,
        })),
      });
      return { messageId: String(info.messageId), accepted: (info.accepted as unknown[]).map(String) };
    },
    close: () => transport?.close(),
  };
}
