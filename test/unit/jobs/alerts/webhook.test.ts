import { afterEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../../../sync/src/domain/alert.js';
import { AlertWebhookError, createAlertWebhook } from '../../../../sync/src/jobs/alerts/webhook.js';
import { alertWebhookMessage } from '../../../../sync/src/presentation/alert-webhook-message.js';
import { readBody, startServer, type TestServer } from '../../../helpers/http-server.js';

const alert: Alert = {
  key: 'tomt_tapt:3218-45/1-x:3218-2025011',
  type: 'tomt_tapt',
  runId: 2,
  createdAt: '2026-03-03T01:00:00Z',
  kommunenummer: '3218',
  lotId: '3218-45/1-x',
  title: 'Tapt til regulering i Ås: 45/1 (3,5 daa)',
  text: 'Reguleringsplan «Nordby <gård> & co» (3218-2025011) er vedtatt over tomten.',
  details: { planId: '3218-2025011', owners: ['never sent'] },
};

let server: TestServer | undefined;
afterEach(async () => server?.close());

describe('the alert webhook', () => {
  it('writes Slack mrkdwn with Slack’s control characters escaped, and a Teams Adaptive Card', () => {
    expect(alertWebhookMessage([alert], 'slack')).toEqual({
      text:
        '*Tomtejakt: 1 nytt varsel*\n• *Tapt til regulering*: Tapt til regulering i Ås: 45/1 (3,5 daa)\n' +
        '  Reguleringsplan «Nordby &lt;gård&gt; &amp; co» (3218-2025011) er vedtatt over tomten.',
    });
    const teams = alertWebhookMessage([alert, alert], 'teams') as {
      type: string;
      attachments: Array<{ contentType: string; content: { type: string; body: Array<{ text: string }> } }>;
    };
    expect(teams.type).toBe('message');
    expect(teams.attachments[0]!.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(teams.attachments[0]!.content.body.map((b) => b.text)).toContain(
      '**Tapt til regulering**: ' + alert.title,
    );
    // Only type, title and text go out: never the details.
    expect(JSON.stringify(teams)).not.toContain('never sent');
  });

  it('retries a server error and names the webhook when it gives up', async () => {
    const seen: string[] = [];
    let failures = 1;
    server = await startServer(async (req, res) => {
      seen.push(await readBody(req));
      res.statusCode = failures-- > 0 ? 503 : 200;
      res.end('ok');
    });
    const webhook = createAlertWebhook(server.url, 'slack');
    await webhook.send([alert]);
    expect(seen).toHaveLength(2);
    expect(JSON.parse(seen[1]!)).toEqual(alertWebhookMessage([alert], 'slack'));
    await webhook.close();

    const refusing = await startServer((_req, res) => {
      res.statusCode = 404;
      res.end('no_service');
    });
    const broken = createAlertWebhook(refusing.url, 'teams');
    const error = await broken.send([alert]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AlertWebhookError);
    expect((error as Error).message).toMatch(/^alert webhook: .*404/);
    await broken.close();
    await refusing.close();
  });
});
