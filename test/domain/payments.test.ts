import fc from 'fast-check';
import { signPayload, verifyWebhook } from '../../shared/adapters/payments/webhook-signature';
import {
  applyGatewayEvent,
  movePayment,
  newPaymentRequest,
  type GatewayEvent,
  type PaymentRequest,
} from '../../shared/domain/payments';

const NOW = new Date('2026-12-07T14:00:00.000Z');
const request = (): PaymentRequest =>
  newPaymentRequest(
    {
      ticket: '4829137756',
      concept: ' Renovación de placa ',
      amount: 2_750,
      currency: 'USD',
      expiresAt: '2026-12-10T14:00:00.000Z',
    },
    'pay-1',
    NOW,
  );
const event = (id: string, type: GatewayEvent['type'], extra: Partial<GatewayEvent> = {}): GatewayEvent => ({
  id,
  paymentId: 'pay-1',
  type,
  amount: 2_750,
  currency: 'USD',
  at: '2026-12-07T15:00:00.000Z',
  ...extra,
});

describe('payment requests', () => {
  it('refuses a request that names a bad field, never rounding money', () => {
    const base = {
      ticket: 't',
      concept: 'Placa',
      amount: 100,
      currency: 'USD',
      expiresAt: '2026-12-08T00:00:00Z',
    };
    const field = (input: object) => {
      try {
        newPaymentRequest({ ...base, ...input }, 'p', NOW);
        return undefined;
      } catch (error) {
        return (error as { field?: string }).field;
      }
    };
    expect(field({ amount: 27.5 })).toBe('amount');
    expect(field({ amount: 0 })).toBe('amount');
    expect(field({ currency: 'usd' })).toBe('currency');
    expect(field({ concept: '  ' })).toBe('concept');
    expect(field({ expiresAt: '2026-12-01T00:00:00Z' })).toBe('expiresAt');
    expect(field({ expiresAt: '2027-02-01T00:00:00Z' })).toBe('expiresAt');
    expect(field({})).toBeUndefined();
    expect(request()).toMatchObject({ status: 'CREATED', concept: 'Renovación de placa', events: [] });
  });

  it('moves CREATED → SENT → PAID, and ignores what the state has moved past', () => {
    const sent = movePayment(request(), 'SENT', NOW);
    const paid = applyGatewayEvent(sent, event('e1', 'paid'));
    expect(paid).toMatchObject({ outcome: 'applied', request: { status: 'PAID' } });
    expect(applyGatewayEvent(paid.request, event('e1', 'paid')).outcome).toBe('duplicate');
    expect(applyGatewayEvent(paid.request, event('e2', 'failed'))).toMatchObject({
      outcome: 'stale',
      request: { status: 'PAID' },
    });
    expect(() => movePayment(paid.request, 'CANCELLED', NOW)).toThrow(/PAID payment request cannot/);
    expect(() => movePayment(sent, 'EXPIRED', NOW)).toThrow(/not run out yet/);
    expect(movePayment(sent, 'EXPIRED', new Date('2026-12-11T00:00:00Z')).status).toBe('EXPIRED');
  });

  it('never takes an event for another amount or currency as a payment', () => {
    for (const wrong of [{ amount: 275 }, { currency: 'PAB' }])
      expect(applyGatewayEvent(request(), event('e1', 'paid', wrong))).toMatchObject({
        outcome: 'mismatch',
        request: { status: 'CREATED', events: [] },
      });
  });

  it('keeps a payment made after a cancellation as a refund due', () => {
    const cancelled = movePayment(request(), 'CANCELLED', NOW);
    expect(applyGatewayEvent(cancelled, event('e1', 'paid'))).toMatchObject({
      outcome: 'refund',
      request: { status: 'CANCELLED', refundDue: true },
    });
  });

  it('ends PAID whatever the order and repetition of the events, when one is a matching payment', () => {
    const kinds = fc.constantFrom<GatewayEvent['type']>('paid', 'failed', 'expired');
    fc.assert(
      fc.property(
        fc.array(fc.record({ id: fc.constantFrom('a', 'b', 'c', 'd'), type: kinds }), { maxLength: 12 }),
        (raw) => {
          // The gateway gives each event id one meaning; redeliveries repeat it.
          const meaning = new Map<string, GatewayEvent['type']>();
          const events = raw.map((e) => {
            if (!meaning.has(e.id)) meaning.set(e.id, e.type);
            return event(e.id, meaning.get(e.id)!);
          });
          let state = movePayment(request(), 'SENT', NOW);
          for (const e of events) state = applyGatewayEvent(state, e).request;
          if (events.some((e) => e.type === 'paid')) expect(state.status).toBe('PAID');
          else expect(state.status).not.toBe('PAID');
          expect(new Set(state.events).size).toBe(state.events.length);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('the gateway’s webhook signature', () => {
  const secret = 'whsec-test';
  const body = JSON.stringify(event('e1', 'paid'));
  const at = Math.floor(NOW.getTime() / 1000);

  it('accepts the gateway’s signature on a fresh event, and nothing forged, altered or replayed', () => {
    const signature = signPayload(secret, at, body);
    expect(verifyWebhook(secret, { timestamp: String(at), signature }, body, NOW)).toBe(true);
    expect(verifyWebhook('another', { timestamp: String(at), signature }, body, NOW)).toBe(false);
    expect(
      verifyWebhook(secret, { timestamp: String(at), signature }, body.replace('2750', '2751'), NOW),
    ).toBe(false);
    // The same event, ten minutes later: a replay.
    expect(
      verifyWebhook(secret, { timestamp: String(at), signature }, body, new Date(NOW.getTime() + 600_000)),
    ).toBe(false);
    for (const header of [
      { timestamp: undefined, signature },
      { timestamp: 'yesterday', signature },
      { timestamp: String(at), signature: 'abc' },
      { timestamp: String(at), signature: undefined },
    ])
      expect(verifyWebhook(secret, header, body, NOW)).toBe(false);
  });
});
