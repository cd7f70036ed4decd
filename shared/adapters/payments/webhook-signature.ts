import { createHmac, timingSafeEqual } from 'node:crypto';

/** How old a signed event may be: an older one is refused as a replay. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/**
 * The signature a hosted checkout puts on its webhook: HMAC-SHA256, in hex, of `<timestamp>.<raw body>` with
 * the secret shared with the gateway (the usual scheme of hosted checkouts).
 */
export function signPayload(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/**
 * Whether a webhook is the gateway's and fresh: its signature matches (compared in constant time) and its
 * timestamp is within the tolerance of now, either way. Anything else — a forged body, a replay of an old
 * event, a malformed header — is refused; the caller answers 401 and changes nothing.
 */
export function verifyWebhook(
  secret: string,
  header: { timestamp: string | undefined; signature: string | undefined },
  body: string,
  now: Date,
  toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS,
): boolean {
  const { timestamp, signature } = header;
  if (!timestamp || !/^\d{1,12}$/.test(timestamp) || !signature || !/^[0-9a-f]{64}$/.test(signature))
    return false;
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > toleranceSeconds) return false;
  const expected = Buffer.from(signPayload(secret, Number(timestamp), body), 'hex');
  return timingSafeEqual(expected, Buffer.from(signature, 'hex'));
}
