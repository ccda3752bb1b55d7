import type { Alert } from '../../domain/alert.js';
import { createHttpClient, type HttpClient } from '../../net/http-client.js';
import {
  ALERTS_PER_MESSAGE,
  alertWebhookMessage,
  type AlertWebhookFormat,
} from '../../presentation/alert-webhook-message.js';
import { messageOf } from '../../util/errors.js';

/** Posts alerts to the incoming webhook; throws an error naming the webhook and the cause. */
export interface AlertWebhook {
  send(alerts: readonly Alert[]): Promise<void>;
  close(): Promise<void>;
}

export class AlertWebhookError extends Error {
  constructor(cause: unknown) {
    super(`alert webhook: ${messageOf(cause)}`, { cause });
    this.name = 'AlertWebhookError';
  }
}

/**
 * ALERT_WEBHOOK_URL over undici (net/http-client: retries with backoff on 429/5xx and network
 * errors, POST included: a repeated message is better than a lost one), messages of at most
 * ALERTS_PER_MESSAGE alerts.
 */
export function createAlertWebhook(
  url: string,
  format: AlertWebhookFormat,
  options: { http?: HttpClient } = {},
): AlertWebhook {
  const http =
    options.http ??
    createHttpClient({
      source: 'alert-webhook',
      timeoutMs: 15_000,
      maxRetries: 3,
      retryMethods: ['POST'],
      concurrency: 1,
    });
  return {
    async send(alerts) {
      for (let i = 0; i < alerts.length; i += ALERTS_PER_MESSAGE) {
        const body = JSON.stringify(alertWebhookMessage(alerts.slice(i, i + ALERTS_PER_MESSAGE), format));
        try {
          await http.request({
            url,
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body,
          });
        } catch (error) {
          throw new AlertWebhookError(error);
        }
      }
    },
    close: () => http.close(),
  };
}
