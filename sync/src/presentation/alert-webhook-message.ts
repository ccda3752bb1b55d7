import { ALERT_TYPE_LABELS, type Alert } from '../domain/alert.js';

export type AlertWebhookFormat = 'slack' | 'teams';

/** Alerts in one message at most; the rest are counted ("… og 12 til i Airtable"). */
export const ALERTS_PER_MESSAGE = 20;

/**
 * The body of one incoming-webhook message for some alerts: Slack (`text`, mrkdwn) or Teams (a
 * message with an Adaptive Card, as Teams workflows' "when a webhook request is received" take
 * it). Only an alert's type, title, text and plan link go out: never an owner or any personal data.
 */
export function alertWebhookMessage(alerts: readonly Alert[], format: AlertWebhookFormat): unknown {
  const shown = alerts.slice(0, ALERTS_PER_MESSAGE);
  const more = alerts.length - shown.length;
  const heading = `Tomtejakt: ${alerts.length} ${alerts.length === 1 ? 'nytt varsel' : 'nye varsler'}`;
  const tail = more > 0 ? `… og ${more} til i Airtable (Varsler).` : null;
  return format === 'slack' ? slack(heading, shown, tail) : teams(heading, shown, tail);
}

function slack(heading: string, alerts: readonly Alert[], tail: string | null) {
  const lines = alerts.map(
    (a) => `• *${ALERT_TYPE_LABELS[a.type]}*: ${escapeSlack(a.title)}\n  ${escapeSlack(a.text)}`,
  );
  return { text: [`*${heading}*`, ...lines, ...(tail ? [tail] : [])].join('\n') };
}

function teams(heading: string, alerts: readonly Alert[], tail: string | null) {
  const block = (text: string, extra: Record<string, unknown> = {}) => ({
    type: 'TextBlock',
    text,
    wrap: true,
    ...extra,
  });
  const body = [
    block(heading, { size: 'Medium', weight: 'Bolder' }),
    ...alerts.flatMap((a) => [
      block(`**${ALERT_TYPE_LABELS[a.type]}**: ${a.title}`, { spacing: 'Medium' }),
      block(a.text, { isSubtle: true, spacing: 'None' }),
    ]),
    ...(tail ? [block(tail, { isSubtle: true })] : []),
  ];
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body,
        },
      },
    ],
  };
}

/** Slack's three control characters in message text (api.slack.com "Escaping text"). */
function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
