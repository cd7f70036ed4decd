import { API_ROUTES } from '../../infra/stacks/application-stack';
import { seededRandom } from '../../shared/domain/random';
import { generateTicket } from '../../shared/domain/ticket';
import { apiCaller, loadApiHandler, transition, type ApiCall } from '../support/api';
import { freshTables } from '../support/dynamo';

let call: ApiCall;

beforeAll(async () => {
  const { names } = await freshTables();
  call = apiCaller(await loadApiHandler(names));
});

const STAFF = ['agent', 'supervisor', 'admin'];
const allowed = (path: string) =>
  path.startsWith('/admin') ||
  path.endsWith('/subject-access') ||
  path.endsWith('/erasure') ||
  path.endsWith('/rectification') ||
  path.endsWith('/privacy-log') ||
  path.endsWith('/readers') ||
  path.endsWith('/hold') ||
  path.endsWith('/hold/release')
    ? ['admin']
    : path.startsWith('/metrics') ||
        path.startsWith('/surge') ||
        path.endsWith('/merge') ||
        path.startsWith('/supervision')
      ? ['supervisor', 'admin']
      : path.endsWith('/closures')
        ? ['supervisor', 'admin']
        : path.startsWith('/backoffice')
          ? ['backoffice', 'supervisor', 'admin']
          : STAFF;

describe('workbench API: roles', () => {
  const concrete = (path: string) =>
    path
      .replace('{id}', 'no-such-citizen')
      .replace('{ticket}', '4829137756')
      .replace('{username}', 'no-such-user')
      .replace('{contactId}', 'no-such-contact')
      .replace('{code}', 'ZZZZZZ')
      .replace('{kind}', 'id-card')
      .replace('{officeId}', 'plate-centre')
      .replace('{department}', 'tax');
  for (const [method, path] of API_ROUTES)
    for (const role of ['agent', 'supervisor', 'backoffice', 'admin', ''])
      if (!allowed(path).includes(role))
        it(`answers ${method} ${path} for "${role || 'no group'}" with 403`, async () => {
          const { status, body } = await call(concrete(path), `[${role}]`, { method, body: {} });
          expect(status).toBe(403);
          expect(body.code).toBe('FORBIDDEN');
        });

  it('shows admins the staff with their roles (never a password hash) and the configuration in force', async () => {
    const users = await call('/admin/users', '[admin]');
    expect(users.status).toBe(200);
    expect(users.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          username: 'tesoreria',
          role: 'backoffice',
          departments: ['tax'],
          enabled: true,
        }),
        expect.objectContaining({ username: 'supervisora', role: 'supervisor' }),
      ]),
    );
    expect(JSON.stringify(users.body)).not.toContain('scrypt');
    const config = await call('/admin/config', '[admin]');
    expect(config.body.deployment.departments.map((d: { id: string }) => d.id)).toContain('tax');
    expect(config.body.catalogue.length).toBeGreaterThan(0);
  });

  it('shows the local outbox to supervisors and admins only', async () => {
    for (const role of ['agent', 'backoffice', ''])
      expect((await call('/outbox', `[${role}]`)).status).toBe(403);
    expect((await call('/outbox', '[supervisor]')).status).toBe(200);
  });

  it('lets every allowed role through to the route (a 4xx of the route itself, never 403)', async () => {
    for (const [method, path] of API_ROUTES)
      for (const role of allowed(path)) {
        const { status } = await call(concrete(path), `[${role}]`, { method, body: {} });
        expect([200, 201, 400, 404]).toContain(status);
      }
  });
});

describe('workbench API: edges', () => {
  it('answers 400 naming the parameter for a malformed percent-encoding in a path, never 500', async () => {
    const res = await call('/cases/%E0%A4%A', '[agent]');
    expect(res).toMatchObject({
      status: 400,
      body: { code: 'INVALID_INPUT', message: 'ticket: is not valid percent-encoding', field: 'ticket' },
    });
    expect((await call('/citizens/%ZZ', '[agent]')).body.field).toBe('id');
  });

  it('refuses ids and query values longer than any real one, naming them', async () => {
    expect(await call(`/citizens/${'a'.repeat(129)}`, '[agent]')).toMatchObject({
      status: 400,
      body: { field: 'id', message: 'id: must be at most 128 characters' },
    });
    expect(await call('/citizens', '[agent]', { query: { surname: 'P'.repeat(257) } })).toMatchObject({
      status: 400,
      body: { field: 'surname', message: 'surname: must be at most 256 characters' },
    });
  });
});

describe('workbench API: citizens and cases', () => {
  let citizenId: string;
  let ticket: string;

  it('registers a citizen, and verifies (not duplicates) them when registered again', async () => {
    const person = {
      givenNames: 'María José',
      surnames: 'Núñez Arosemena',
      phone: '6123-4567',
      document: { type: 'cedula', number: '8-888-1234' },
    };
    const first = await call('/citizens', '[agent]', { method: 'POST', body: person });
    expect(first.status).toBe(201);
    expect(first.body.result).toBe('created');
    citizenId = first.body.citizen.id;
    const again = await call('/citizens', '[agent]', { method: 'POST', body: person });
    expect(again.body).toMatchObject({ result: 'verified', citizen: { id: citizenId } });
    const clash = await call('/citizens', '[agent]', {
      method: 'POST',
      body: { givenNames: 'Otra', phone: '6123-4567', email: 'otra@example.org' },
    });
    expect(clash.status).toBe(409);
    expect(clash.body.code).toBe('IDENTITY_TAKEN');
  });

  it('finds the citizen by phone, by document and by surname without accents', async () => {
    for (const query of <Record<string, string>[]>[
      { phone: '+507 6123 4567' },
      { document: 'CEDULA:8-888-1234' },
      { surname: 'nunez' },
    ]) {
      const { status, body } = await call('/citizens', '[agent]', { query });
      expect(status).toBe(200);
      expect(body.items.map((c: { id: string }) => c.id)).toContain(citizenId);
    }
    const both = await call('/citizens', '[agent]', { query: { phone: '61234567', surname: 'x' } });
    expect(both.status).toBe(400);
    expect(both.body.field).toBe('query');
  });

  it('opens a case during a contact and shows it with its audit trail on the citizen timeline', async () => {
    const opened = await call('/cases', '[agent]', {
      method: 'POST',
      body: {
        citizenId,
        topicId: 'payment-plan',
        channel: 'VOICE',
        request: 'Quiere pagar en 6 cuotas',
        contactId: 'c-1',
      },
    });
    expect(opened.status).toBe(201);
    ticket = opened.body.ticket;
    const view = await call(`/cases/${ticket}`, '[supervisor]');
    expect(view.body.case).toMatchObject({ status: 'OPEN', version: 1, topicId: 'payment-plan' });
    expect(view.body.audit).toHaveLength(1);
    expect(view.body.contacts.map((c: { contactId: string }) => c.contactId)).toEqual(['c-1']);
    const timeline = await call(`/citizens/${citizenId}`, '[agent]');
    expect(timeline.body.cases.map((c: { ticket: string }) => c.ticket)).toContain(ticket);
    const listed = await call('/cases', '[agent]', {
      query: {
        status: 'OPEN',
        department: 'tax',
        from: '2020-01-01',
        to: new Date(Date.now() + 60_000).toISOString(),
      },
    });
    expect(listed.body.items.map((c: { ticket: string }) => c.ticket)).toContain(ticket);
    const none = await call('/cases', '[agent]', {
      query: { status: 'OPEN', department: 'tax', to: '2020-01-01' },
    });
    expect(none.body.items).toEqual([]);
  });

  it('enforces the state machine and the version (If-Match), and keeps reopening for supervisors', async () => {
    const unsaid = await call(`/cases/${ticket}/transitions`, '[agent]', {
      method: 'POST',
      body: { to: 'PENDING_RESPONSE' },
    });
    expect(unsaid.status).toBe(428);
    expect(unsaid.body.code).toBe('PRECONDITION_REQUIRED');
    const read = await call(`/cases/${ticket}`, '[agent]');
    expect(read.headers.etag).toBe('"1"');
    const stale = await call(`/cases/${ticket}/transitions`, '[agent]', {
      method: 'POST',
      headers: { 'If-Match': '"7"' },
      body: { to: 'PENDING_RESPONSE' },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('VERSION_CONFLICT');
    const moved = await call(`/cases/${ticket}/transitions`, '[agent]', {
      method: 'POST',
      headers: { 'If-Match': '"1"' },
      body: { to: 'PENDING_RESPONSE' },
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ status: 'PENDING_RESPONSE', version: 2 });
    expect(moved.headers.etag).toBe('"2"');
    const illegal = await transition(call, ticket, '[agent]', { to: 'RESOLVED' });
    expect(illegal.status).toBe(409);
    expect(illegal.body.code).toBe('ILLEGAL_TRANSITION');
    const noAnswer = await transition(call, ticket, '[agent]', { to: 'PENDING_COMMUNICATION' });
    expect(noAnswer.status).toBe(400);
    expect(noAnswer.body.field).toBe('answer');
    await transition(call, ticket, '[agent]', { to: 'CANCELLED', reason: 'duplicado' });
    const agentReopen = await transition(call, ticket, '[agent]', { to: 'OPEN', reason: 'error' });
    expect(agentReopen.status).toBe(403);
    const reopen = await transition(call, ticket, '[supervisor]', {
      to: 'OPEN',
      reason: 'cancelado por error',
    });
    expect(reopen.status).toBe(200);
    const audit = (await call(`/cases/${ticket}`, '[agent]')).body.audit;
    expect(audit.map((a: { to: string }) => a.to)).toEqual(['OPEN', 'PENDING_RESPONSE', 'CANCELLED', 'OPEN']);
    expect(audit.at(-1)).toMatchObject({ action: 'REOPENED', actor: { role: 'supervisor' } });
  });

  it('keeps notes on a case, and says which field is wrong', async () => {
    const added = await call(`/cases/${ticket}/notes`, '[agent]', {
      method: 'POST',
      body: { text: 'Llamó de nuevo' },
    });
    expect(added.status).toBe(201);
    const view = await call(`/cases/${ticket}`, '[agent]');
    expect(view.body.notes.map((n: { text: string }) => n.text)).toEqual(['Llamó de nuevo']);
    const empty = await call(`/cases/${ticket}/notes`, '[agent]', { method: 'POST', body: { text: '  ' } });
    expect(empty).toMatchObject({ status: 400, body: { code: 'INVALID_INPUT', field: 'text' } });
    const unknown = generateTicket(seededRandom(99));
    const missing = await call(`/cases/${unknown}/notes`, '[agent]', { method: 'POST', body: { text: 'x' } });
    expect(missing.status).toBe(404);
    // One digit off: the check digit catches it.
    const badTicket = await call(`/cases/${unknown.slice(0, 9)}${(Number(unknown[9]) + 1) % 10}`, '[agent]');
    expect(badTicket.body.code).toBe('INVALID_TICKET');
    const notJson = await call('/cases', '[agent]', { method: 'POST', body: '{not json' });
    expect(notJson.body).toMatchObject({ code: 'INVALID_INPUT', field: 'body' });
  });
});

describe('back-office API', () => {
  it('exports a department for its back office only, as CSV with a BOM, and imports answers (dry run first)', async () => {
    const citizen = await call('/citizens', '[agent]', {
      method: 'POST',
      body: { givenNames: 'Rosa', surnames: 'Vargas', phone: '6555-0001' },
    });
    const opened = await call('/cases', '[agent]', {
      method: 'POST',
      body: { citizenId: citizen.body.citizen.id, topicId: 'plate-renewal', channel: 'SMS' },
    });
    const other = await call('/backoffice/exports', '[backoffice]', {
      method: 'POST',
      departments: 'tax',
      body: { department: 'vehicles' },
    });
    expect(other.status).toBe(403);
    // A department a user wrote into their own attributes counts for nothing: only groups do.
    const forged = await call('/backoffice/exports', '[backoffice]', {
      method: 'POST',
      forgedDepartments: 'vehicles',
      body: { department: 'vehicles' },
    });
    expect(forged.status).toBe(403);
    const exported = await call('/backoffice/exports', '[backoffice]', {
      method: 'POST',
      departments: 'vehicles',
      user: 'clerk-7',
      body: { department: 'vehicles' },
    });
    expect(exported.status).toBe(200);
    // The audit names the clerk who exported, not an anonymous batch.
    const audited = await call(`/cases/${opened.body.ticket}`, '[agent]');
    expect(audited.body.audit.at(-1)).toMatchObject({
      to: 'PENDING_RESPONSE',
      actor: { id: 'clerk-7', role: 'backoffice' },
    });
    expect(exported.body.exported).toBe(1);
    expect(exported.body.csv.startsWith('\uFEFFticket,date,name,document,phone,topic,request\r\n')).toBe(
      true,
    );
    expect(exported.body.csv).toContain(opened.body.ticket);
    const file = `ticket,answer\n${opened.body.ticket},Renovación aprobada\n`;
    const taxOnly = await call('/backoffice/imports', '[backoffice]', {
      method: 'POST',
      departments: 'tax',
      body: file,
    });
    expect(taxOnly.body.rows[0]).toMatchObject({ result: 'rejected', reason: 'no case has this ticket' });
    const dry = await call('/backoffice/imports', '[backoffice]', {
      method: 'POST',
      departments: 'vehicles',
      query: { dryRun: 'true' },
      body: file,
    });
    expect(dry.body).toMatchObject({ dryRun: true, applied: 1 });
    expect((await call(`/cases/${opened.body.ticket}`, '[agent]')).body.case.status).toBe('PENDING_RESPONSE');
    const applied = await call('/backoffice/imports', '[supervisor]', { method: 'POST', body: file });
    expect(applied.body).toMatchObject({ dryRun: false, applied: 1, rows: [{ line: 2, result: 'applied' }] });
    expect((await call(`/cases/${opened.body.ticket}`, '[agent]')).body.case).toMatchObject({
      status: 'PENDING_COMMUNICATION',
      answer: 'Renovación aprobada',
    });
  });
});
