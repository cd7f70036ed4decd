import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signPayload } from '../shared/adapters/payments/webhook-signature';

interface Checkout {
  id: string;
  reference: string;
  amount: number;
  currency: string;
  description: string;
  returnUrl: string;
  expiresAt: string;
  status: 'open' | 'paid' | 'failed' | 'expired';
  eventId?: string;
  updatedAt: string;
}

async function read(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * A payment gateway on this machine, with the generic hosted-checkout API (`POST /checkouts`,
 * `GET /checkouts/<id>`) and its own pay page (`/pay/<id>`: pay, or fail), which signs its webhook to
 * Ventanilla as a real gateway does and sends the citizen back. Webhooks may be held back (`deliver(false)`),
 * to show the nightly reconciliation catching up.
 */
export async function startFakeGateway(options: {
  apiKey: string;
  webhookSecret: string;
  /** Where the webhooks go (Ventanilla's `/payments/webhook`), known once the back end listens. */
  webhookUrl: () => string;
  /** The gateway's clock, which its signatures carry (the back end's functions' clock, in a simulated day). */
  now?: () => Date;
}) {
  const now = options.now ?? (() => new Date());
  const checkouts = new Map<string, Checkout>();
  const byReference = new Map<string, string>();
  let delivering = true;
  const sent: { body: string; status: number }[] = [];

  async function notify(checkout: Checkout) {
    if (!delivering) return;
    const body = JSON.stringify({
      id: checkout.eventId,
      reference: checkout.reference,
      type: checkout.status,
      amount: checkout.amount,
      currency: checkout.currency,
      at: checkout.updatedAt,
    });
    const timestamp = Math.floor(now().getTime() / 1000);
    const response = await fetch(options.webhookUrl(), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signPayload(options.webhookSecret, timestamp, body),
      },
      body,
    }).catch(() => undefined);
    sent.push({ body, status: response?.status ?? 0 });
  }

  function page(res: ServerResponse, c: Checkout) {
    const amount = new Intl.NumberFormat('es-PA', { style: 'currency', currency: c.currency }).format(
      c.amount / 100,
    );
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      // Its forms post to itself, then send the citizen back to Ventanilla (another origin).
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
    });
    res.end(`<!doctype html>
<html lang="es"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Pasarela de pago de prueba</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}
button{font:inherit;min-height:2.75rem;padding:.4rem 1rem;margin:.25rem 0;width:100%;border-radius:8px}
.pay{background:#0b57d0;color:#fff;border:2px solid #0b57d0}.fail{background:#fff;color:#7a1410;border:2px solid #7a1410}</style>
</head><body><main>
<h1>Pasarela de pago de prueba</h1>
<p>${esc(c.description)}: <strong>${esc(amount)}</strong></p>
<p>Estado: <strong id="state">${c.status}</strong></p>
${
  c.status === 'open'
    ? `<form method="post" action="/pay/${c.id}"><input type="hidden" name="decision" value="pay"><button class="pay" type="submit">Pagar ${esc(amount)}</button></form>
<form method="post" action="/pay/${c.id}"><input type="hidden" name="decision" value="fail"><button class="fail" type="submit">Simular un pago rechazado</button></form>`
    : `<p><a href="${esc(c.returnUrl)}">Volver a Ventanilla</a></p>`
}
</main></body></html>`);
  }

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://local');
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const [, first, id] = url.pathname.split('/');
      if (first === 'checkouts') {
        if (req.headers.authorization !== `Bearer ${options.apiKey}`)
          return json(401, { error: 'unauthorized' });
        if (req.method === 'POST' && !id) {
          const body = JSON.parse(await read(req)) as {
            reference: string;
            amount: number;
            currency: string;
            description: string;
            return_url: string;
            expires_at: string;
          };
          const known = byReference.get(body.reference);
          const checkout = known
            ? checkouts.get(known)!
            : {
                id: `co_${randomBytes(9).toString('base64url')}`,
                reference: body.reference,
                amount: body.amount,
                currency: body.currency,
                description: body.description,
                returnUrl: body.return_url,
                expiresAt: body.expires_at,
                status: 'open' as const,
                updatedAt: now().toISOString(),
              };
          checkouts.set(checkout.id, checkout);
          byReference.set(checkout.reference, checkout.id);
          return json(201, { id: checkout.id, url: `${base()}/pay/${checkout.id}` });
        }
        const found = id ? checkouts.get(id) : undefined;
        if (req.method === 'GET' && found)
          return json(200, {
            id: found.id,
            reference: found.reference,
            status: found.status,
            amount: found.amount,
            currency: found.currency,
            ...(found.eventId ? { event_id: found.eventId } : {}),
            updated_at: found.updatedAt,
          });
        return json(404, { error: 'not found' });
      }
      if (first === 'pay' && id && checkouts.has(id)) {
        const checkout = checkouts.get(id)!;
        if (req.method === 'GET') return page(res, checkout);
        if (req.method === 'POST' && checkout.status === 'open') {
          const decision = new URLSearchParams(await read(req)).get('decision');
          checkout.status = decision === 'pay' ? 'paid' : 'failed';
          checkout.eventId = `evt_${randomBytes(9).toString('base64url')}`;
          checkout.updatedAt = now().toISOString();
          await notify(checkout);
          res.writeHead(303, { location: checkout.returnUrl });
          return res.end();
        }
        return page(res, checkout);
      }
      res.writeHead(404);
      res.end();
    })().catch(() => {
      res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base(),
    /** Holds webhooks back (false) or sends them again from now on (true). */
    deliver(on: boolean) {
      delivering = on;
    },
    /** The webhooks sent, with Ventanilla's answer. */
    sent,
    checkout: (reference: string) => checkouts.get(byReference.get(reference) ?? ''),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
