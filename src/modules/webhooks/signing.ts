import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

// Signing by the Standard Webhooks specification, with its reference library: each
// signature is "v1,<base64 HMAC-SHA256 of id.timestamp.body>"; after a rotation the old
// secret signs too, for a day, so receivers can switch without losing a delivery.

/** How long a rotated-out secret keeps signing. */
export const PREVIOUS_SECRET_MS = 24 * 3_600_000;

export const newSecret = () => `whsec_${randomBytes(24).toString('base64')}`;

export interface SigningKeys {
  secret: string;
  previousSecret: string | null;
  previousSecretUntil: Date | null;
}

/** The webhook-signature header of one attempt: every valid secret's signature, space-separated. */
export function signatureHeader(keys: SigningKeys, eventId: string, at: Date, body: string): string {
  const secrets = [keys.secret];
  if (keys.previousSecret && keys.previousSecretUntil && keys.previousSecretUntil > at) secrets.push(keys.previousSecret);
  return secrets.map((secret) => new Webhook(secret).sign(eventId, at, body)).join(' ');
}
