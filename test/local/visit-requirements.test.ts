import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { startFakeAgency } from '../../local/fake-agency';
import { startFakeGateway } from '../../local/fake-gateway';
import { AgencyChecks } from '../../shared/adapters/agency/agency-checks';
import { DynamoPaymentStore } from '../../shared/adapters/dynamodb/payment-store';
import { HostedCheckoutGateway } from '../../shared/adapters/payments/hosted-checkout';
import { signPayload } from '../../shared/adapters/payments/webhook-signature';
import { loadConfig } from '../../shared/config/load';
import { reconcilePayments } from '../../shared/domain/payments';
import { paymentIdOf } from '../../shared/domain/visit-requirements';
import { apiCaller, loadApiHandler, type ApiCall } from '../support/api';
import { citizenApiOn } from '../support/citizen-api';
import { freshTables } from '../support/dynamo';

const { deployment } = loadConfig('config/city-hall');
/** Monday 7 December 2026, 09:00 in Panamá; the tests' webhooks are signed at this instant. */
const now = new Date('2026-12-07T14:00:00.000Z');
const clock = { now: () => now };
const SECRET = 'test-webhook-secret';
const PDF = Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82]);
/** A Windows program, called a PDF. */
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(62), Buffer.from('PE\0\0')]);

let agency: Awaited<ReturnType<typeof startFakeAgency>>;
let gateway: Awaited<ReturnType<typeof startFakeGateway>>;
let api: ApiCall;
let citizen: ReturnType<typeof citizenApiOn>;
let payments: DynamoPaymentStore;
let checkouts: HostedCheckoutGateway;
let tables: Awaited<ReturnType<typeof freshTables>>;
beforeAll(async () => {
  agency = await startFakeAgency({}, { otherwise: 'yes' });
  // The gateway's webhooks are held back: the test sends them itself, signed or not, in any order.
  gateway = await startFakeGateway({
    apiKey: 'k',
    webhookSecret: SECRET,
    webhookUrl: () => 'http://127.0.0.1:9',
  });
  gateway.deliver(false);
  checkouts = new HostedCheckoutGateway({ endpoint: gateway.url, apiKey: 'k' });
  const eligibility = new AgencyChecks(deployment.agencyChecks, { endpoint: agency.url });
  tables = await freshTables();
  payments = new DynamoPaymentStore(tables.doc, tables.names.cases, 3650);
  citizen = citizenApiOn(tables, clock, { eligibility, gateway: checkouts, webhookSecret: SECRET });
  // Staff read and review the documents through the same files.
  api = apiCaller(
    await loadApiHandler(tables.names, [], undefined, clock, eligibility, citizen.uploads.files),
  );
});
afterAll(async () => {
  await agency.stop();
  await gateway.stop();
});

async function bookNewPlate(phone: string, document: string, key: string) {
  await api('/citizens', '[agent]', {
    method: 'POST',
    body: {
      givenNames: 'Placa',
      surnames: 'Nueva Prueba',
      phone,
      document: { type: 'CEDULA', number: document },
    },
  });
  const token = await citizen.signedIn(phone);
  const { slots } = (
    await citizen.call('/citizen/slots', { token, query: { office: 'plate-centre', topic: 'new-plate' } })
  ).body;
  const start = slots.find(
    (s: { start: string }) => Date.parse(s.start) > now.getTime() + 48 * 3_600_000,
  ).start;
  const booked = await citizen.call('/citizen/bookings', {
    method: 'POST',
    token,
    body: { key, officeId: 'plate-centre', topicId: 'new-plate', start },
  });
  expect(booked.status).toBe(201);
  return { token, booking: booked.body as { id: string; status: string; ticket: string; start: string } };
}

async function send(token: string, bookingId: string, kind: string, bytes: Buffer, contentType: string) {
  const offered = await citizen.call(`/citizen/bookings/${bookingId}/documents/${kind}`, {
    method: 'POST',
    token,
    body: { contentType },
  });
  expect(offered.status).toBe(201);
  const { upload } = offered.body;
  const put = await fetch(upload.url, {
    method: upload.method,
    headers: upload.fields,
    body: new Uint8Array(bytes),
  });
  expect(put.status).toBe(204);
  return citizen.call(`/citizen/bookings/${bookingId}/documents/${kind}/sent`, {
    method: 'POST',
    token,
    body: {},
  });
}

const requirements = async (token: string, id: string) =>
  (await citizen.call(`/citizen/bookings/${id}/requirements`, { token })).body;

function webhook(event: object, signedAt = now, secret = SECRET) {
  const raw = JSON.stringify(event);
  const timestamp = Math.floor(signedAt.getTime() / 1000);
  return citizen.call('/payments/webhook', {
    method: 'POST',
    raw,
    headers: {
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signPayload(secret, timestamp, raw),
    },
  });
}

describe('documents before the visit and the fee by link', () => {
  it('holds the booking, opens its case and its fee; takes files by their bytes; confirms once all is accepted and paid', async () => {
    const { token, booking } = await bookNewPlate('+50769994001', '8-901-1', 'visit-held-0001');
    expect(booking.status).toBe('held');
    const theCase = (await api(`/cases/${booking.ticket}`, '[agent]')).body.case;
    expect(theCase).toMatchObject({ topicId: 'new-plate', channel: 'WEB' });
    const first = await requirements(token, booking.id);
    expect(first).toMatchObject({
      status: 'held',
      ready: false,
      dueBy: new Date(Date.parse(booking.start) - 24 * 3_600_000).toISOString(),
      documents: [
        { kind: 'id-card', name: 'Cédula del dueño', status: 'awaiting-upload' },
        { kind: 'vehicle-title', status: 'awaiting-upload' },
      ],
      fee: { concept: 'Placa nueva', amount: 2500, currency: 'USD', status: 'SENT' },
    });
    // The pay link is the gateway's, with nothing of the citizen in it.
    expect(first.fee.payUrl).toMatch(new RegExp(`^${gateway.url}/pay/co_[A-Za-z0-9_-]+$`));

    // A program renamed .pdf is refused by its bytes, and not kept.
    const exe = await send(token, booking.id, 'id-card', EXE, 'application/pdf');
    expect(exe.status).toBe(400);
    expect(exe.body).toMatchObject({ code: 'UNSUPPORTED_FILE' });
    expect(exe.body.message).toMatch(/not a PDF, JPEG or PNG/);
    expect((await requirements(token, booking.id)).documents[0].status).toBe('awaiting-upload');

    expect((await send(token, booking.id, 'id-card', PDF, 'application/pdf')).body).toMatchObject({
      status: 'in-review',
      fileType: 'pdf',
    });
    // A PNG sent as a PDF is what its bytes say.
    expect((await send(token, booking.id, 'vehicle-title', PNG, 'application/pdf')).body.fileType).toBe(
      'png',
    );

    // Staff read each file by a short-lived link, reject one with a reason the citizen reads, accept the other.
    const staffView = (await api(`/appointments/${booking.id}/requirements`, '[agent]')).body;
    const link = staffView.documents.find((d: { kind: string }) => d.kind === 'id-card').link as string;
    expect(Buffer.from(await (await fetch(link)).arrayBuffer())).toEqual(PDF);
    const review = (kind: string, decision: string, reason?: string) =>
      api(`/appointments/${booking.id}/documents/${kind}/review`, '[agent]', {
        method: 'POST',
        body: { decision, ...(reason ? { reason } : {}) },
      });
    expect((await review('vehicle-title', 'reject')).body.field).toBe('reason');
    await review('vehicle-title', 'reject', 'La factura no se lee: envíe una foto más nítida');
    await review('id-card', 'accept');
    expect((await requirements(token, booking.id)).documents).toEqual([
      expect.objectContaining({ kind: 'id-card', status: 'accepted' }),
      expect.objectContaining({
        kind: 'vehicle-title',
        status: 'rejected',
        reason: 'La factura no se lee: envíe una foto más nítida',
      }),
    ]);
    // An accepted document is not replaced; the rejected one is.
    const again = await citizen.call(`/citizen/bookings/${booking.id}/documents/id-card`, {
      method: 'POST',
      token,
      body: { contentType: 'application/pdf' },
    });
    expect(again.body.code).toBe('DOCUMENT_STATE');
    expect((await send(token, booking.id, 'vehicle-title', PDF, 'application/pdf')).body.status).toBe(
      'in-review',
    );
    const accepted = (await review('vehicle-title', 'accept')).body;
    // All documents accepted, the fee not paid: still held.
    expect(accepted).toMatchObject({ status: 'held', ready: false });

    // The gateway's events: forged, replayed, a wrong amount and a failure change nothing wrongly.
    const paymentId = paymentIdOf(booking.id);
    const paid = {
      id: 'evt-paid-1',
      reference: paymentId,
      type: 'paid',
      amount: 2500,
      currency: 'USD',
      at: now.toISOString(),
    };
    expect((await webhook(paid, now, 'not-the-secret')).status).toBe(401);
    expect((await webhook(paid, new Date(now.getTime() - 10 * 60_000))).status).toBe(401);
    expect((await webhook({ ...paid, id: 'evt-short', amount: 25 })).body.outcome).toBe('mismatch');
    expect((await webhook({ ...paid, id: 'evt-fail-1', type: 'failed' })).body.outcome).toBe('applied');
    expect((await requirements(token, booking.id)).fee.status).toBe('FAILED');
    // The payment, then the same again and a failure that arrives late: paid once, confirmed once.
    expect((await webhook(paid)).body.outcome).toBe('applied');
    expect((await webhook(paid)).body.outcome).toBe('duplicate');
    expect((await webhook({ ...paid, id: 'evt-fail-late', type: 'failed' })).body.outcome).toBe('stale');
    const done = await requirements(token, booking.id);
    expect(done).toMatchObject({ status: 'booked', ready: true, fee: { status: 'PAID' } });
    expect(done.fee.payUrl).toBeUndefined();
    expect((await payments.get(paymentId))!.mismatches).toBe(1);
  });

  it('catches up a payment whose webhook was lost, in the nightly reconciliation', async () => {
    const { token, booking } = await bookNewPlate('+50769994002', '8-902-2', 'visit-recon-001');
    const { fee } = await requirements(token, booking.id);
    // The citizen pays on the gateway's page; its webhook never arrives.
    const paidThere = await fetch(fee.payUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'decision=pay',
      redirect: 'manual',
    });
    expect(paidThere.status).toBe(303);
    expect((await requirements(token, booking.id)).fee.status).toBe('SENT');
    const report = await reconcilePayments({ store: payments, gateway: checkouts, now: () => now });
    expect(report).toMatchObject({ applied: 1, expired: 0, settled: [paymentIdOf(booking.id)] });
    expect((await requirements(token, booking.id)).fee.status).toBe('PAID');
    // Run again: nothing more.
    expect((await reconcilePayments({ store: payments, gateway: checkouts, now: () => now })).applied).toBe(
      0,
    );
  });

  it('cancels the fee with its booking: a payment that still comes is money to give back, never a booking', async () => {
    const { token, booking } = await bookNewPlate('+50769994004', '8-904-4', 'visit-cancel-01');
    // Waiting for its documents and fee, it keeps its time.
    const moved = await citizen.call(`/citizen/bookings/${booking.id}/reschedule`, {
      method: 'POST',
      token,
      body: { start: booking.start },
    });
    expect(moved.body.field).toBe('start');
    await citizen.call(`/citizen/bookings/${booking.id}/cancel`, { method: 'POST', token, body: {} });
    expect((await payments.get(paymentIdOf(booking.id)))!.status).toBe('CANCELLED');
    const late = {
      id: 'evt-late-pay',
      reference: paymentIdOf(booking.id),
      type: 'paid',
      amount: 2500,
      currency: 'USD',
      at: now.toISOString(),
    };
    expect((await webhook(late)).body.outcome).toBe('refund');
    expect(await payments.get(paymentIdOf(booking.id))).toMatchObject({
      status: 'CANCELLED',
      refundDue: true,
    });
    expect((await api(`/appointments/${booking.id}`, '[agent]')).body.status).toBe('cancelled');
  });

  it('books even when the gateway cannot be reached, and opens the fee’s checkout on the next look', async () => {
    const eligibility = new AgencyChecks(deployment.agencyChecks, { endpoint: agency.url });
    const unreachable = citizenApiOn(tables, clock, {
      eligibility,
      gateway: new HostedCheckoutGateway({ endpoint: 'http://127.0.0.1:9', apiKey: 'k', timeoutMs: 300 }),
      webhookSecret: SECRET,
    });
    const phone = '+50769994005';
    await api('/citizens', '[agent]', {
      method: 'POST',
      body: {
        givenNames: 'Sin',
        surnames: 'Pasarela',
        phone,
        document: { type: 'CEDULA', number: '8-905-5' },
      },
    });
    const token = await unreachable.signedIn(phone);
    const { slots } = (
      await unreachable.call('/citizen/slots', {
        token,
        query: { office: 'plate-centre', topic: 'new-plate' },
      })
    ).body;
    const booked = await unreachable.call('/citizen/bookings', {
      method: 'POST',
      token,
      body: { key: 'visit-nogate-01', officeId: 'plate-centre', topicId: 'new-plate', start: slots[0].start },
    });
    expect(booked.status).toBe(201);
    const waiting = (await unreachable.call(`/citizen/bookings/${booked.body.id}/requirements`, { token }))
      .body;
    expect(waiting.fee).toMatchObject({ status: 'CREATED' });
    expect(waiting.fee.payUrl).toBeUndefined();
    // The gateway answers again (here, the working one, on the same tables and session): the link is there.
    const ready = (await citizen.call(`/citizen/bookings/${booked.body.id}/requirements`, { token })).body;
    expect(ready.fee).toMatchObject({ status: 'SENT', payUrl: expect.stringContaining('/pay/co_') });
  });

  it("finds a citizen's documents, fee and sign-ins in their subject access, and erases the files with them", async () => {
    const phone = '+50769994003';
    const { token, booking } = await bookNewPlate(phone, '8-903-3', 'visit-erase-001');
    await send(token, booking.id, 'id-card', PDF, 'application/pdf');
    const citizenId = (await api(`/appointments/${booking.id}`, '[agent]')).body.citizenId as string;
    const kinds = (records: { kind: string }[]) => new Set(records.map((r) => r.kind));
    const access = await api(`/citizens/${citizenId}/subject-access`, '[admin]', {
      method: 'POST',
      body: { reason: 'Solicitud de acceso 7' },
    });
    expect(access.status).toBe(200);
    const found = kinds(access.body.records);
    for (const kind of ['document', 'payment', 'sign-in']) expect(found).toContain(kind);
    const documentRecord = access.body.records.find((r: { kind: string }) => r.kind === 'document');
    const fileKey = documentRecord.data.key as string;
    expect(await citizen.uploads.files.peek(fileKey, 4)).toBeDefined();
    const codesAsked = { pk: `ACCESS#CODEFOR#${phone}`, sk: 'COUNT' };
    const counted = () =>
      tables.doc.send(new GetCommand({ TableName: tables.names.citizens, Key: codesAsked }));
    expect((await counted()).Item).toBeDefined();

    const erased = await api(`/citizens/${citizenId}/erasure`, '[admin]', {
      method: 'POST',
      body: { reference: 'ERASE-2026-7' },
    });
    expect(erased.status).toBe(200);
    // The file and its record are gone, and so are the number's sign-in items; the fee's record stays.
    expect(await citizen.uploads.files.peek(fileKey, 4)).toBeUndefined();
    expect((await counted()).Item).toBeUndefined();
    const after = await api(`/citizens/${citizenId}/subject-access`, '[admin]', {
      method: 'POST',
      body: { reason: 'Comprobación 7' },
    });
    const left = kinds(after.body.records);
    expect(left.has('document')).toBe(false);
    expect(left.has('payment')).toBe(true);
    expect(JSON.stringify(after.body.records)).not.toContain(phone);
  });
});
