import { createAlertWebhook, type AlertWebhook } from '../jobs/alerts/webhook.js';
import type { AppResources } from './resources.js';

const webhooks = new WeakMap<AppResources, AlertWebhook | null>();

/**
 * The ALERT_WEBHOOK_URL webhook of the app (null when unset), made once per app and closed with
 * its resources.
 */
export function alertWebhookOf(resources: AppResources): AlertWebhook | null {
  if (!webhooks.has(resources)) {
    const { ALERT_WEBHOOK_URL: url, ALERT_WEBHOOK_FORMAT: format } = resources.env;
    const webhook = url ? createAlertWebhook(url, format) : null;
    if (webhook) resources.own('alert-webhook', () => webhook.close());
    webhooks.set(resources, webhook);
  }
  return webhooks.get(resources) ?? null;
}
