import * as z from 'zod/mini';
import type { GatewayEvent, PaymentGateway, PaymentRequest } from '../../domain/payments';

/**
 * A generic hosted checkout over HTTP (the shape most gateways share): `POST /checkouts` opens one for a
 * request (the request's id is the reference and the idempotency key, so a retry is the same checkout), and
 * `GET /checkouts/<id>` says where it stands. The citizen pays on the gateway's page; Ventanilla never sees a
 * card. Its webhooks are signed (webhook-signature.ts) and read by `parseWebhookEvent`.
 */
export class HostedCheckoutGateway implements PaymentGateway {
  constructor(
    private readonly options: {
      endpoint: string;
      /** The key, or where to read it (a secret, on first use). */
      apiKey: string | (() => Promise<string>);
      timeoutMs?: number;
    },
  ) {}

  private async call(path: string, init: RequestInit = {}): Promise<unknown> {
    const { apiKey } = this.options;
    const key = typeof apiKey === 'string' ? apiKey : await apiKey();
    const response = await fetch(`${this.options.endpoint.replace(/\/$/, '')}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
        ...(init.headers as Record<string, string> | undefined),
      },
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 3000),
    });
    if (!response.ok) throw new Error(`the payment gateway answered ${response.status} to ${path}`);
    return response.json();
  }

  async checkout(request: PaymentRequest, returnUrl: string) {
    const body = z.object({ id: z.string(), url: z.string().check(z.regex(/^https?:\/\//)) }).parse(
      await this.call('/checkouts', {
        method: 'POST',
        headers: { 'idempotency-key': request.id },
        body: JSON.stringify({
          reference: request.id,
          amount: request.amount,
          currency: request.currency,
          description: request.concept,
          expires_at: request.expiresAt,
          return_url: returnUrl,
        }),
      }),
    );
    return { url: body.url, reference: body.id };
  }

  async latest(request: PaymentRequest): Promise<GatewayEvent | undefined> {
    if (!request.checkout) return undefined;
    const body = z
      .object({
        status: z.enum(['open', 'paid', 'failed', 'expired']),
        amount: z.number(),
        currency: z.string(),
        event_id: z.optional(z.string()),
        updated_at: z.string(),
      })
      .parse(await this.call(`/checkouts/${encodeURIComponent(request.checkout.reference)}`));
    if (body.status === 'open' || !body.event_id) return undefined;
    return {
      id: body.event_id,
      paymentId: request.id,
      type: body.status,
      amount: body.amount,
      currency: body.currency,
      at: body.updated_at,
    };
  }
}

const webhookEvent = z.strictObject({
  id: z.string().check(z.minLength(1), z.maxLength(128)),
  reference: z.string().check(z.minLength(1), z.maxLength(128)),
  type: z.enum(['paid', 'failed', 'expired']),
  amount: z.number().check(z.int()),
  currency: z.string().check(z.regex(/^[A-Z]{3}$/)),
  at: z.string().check(z.maxLength(40)),
});

/** A verified webhook's event, or undefined when its body is not one. */
export function parseWebhookEvent(body: string): GatewayEvent | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    return undefined;
  }
  const parsed = webhookEvent.safeParse(raw);
  if (!parsed.success) return undefined;
  const { reference, ...event } = parsed.data;
  return { ...event, paymentId: reference };
}
