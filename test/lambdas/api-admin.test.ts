import { demoPasswords } from '../../local/passwords';
import { loadUsers } from '../../local/session';
import type { FileStaffStore } from '../../shared/adapters/file/staff-store';
import { passwordMatches } from '../../shared/adapters/file/staff-store';
import { apiCaller, loadApiHandler, type ApiCall } from '../support/api';
import { freshTables } from '../support/dynamo';

let call: ApiCall;
let store: FileStaffStore;

beforeAll(async () => {
  const { names } = await freshTables();
  store = demoPasswords(loadUsers('config/city-hall')).store;
  call = apiCaller(await loadApiHandler(names, [], store));
});

const admin = (path: string, body?: unknown) =>
  call(path, '[admin]', { method: body === undefined ? 'GET' : 'POST', user: 'admin', body });

describe('staff accounts on the admin routes', () => {
  it('creates an account that signs in at once, audited; disabling refuses its next request; re-enabling lets it back', async () => {
    const created = await admin('/admin/users', {
      username: 'Lucia.Mendez',
      name: ' Lucía Méndez ',
      email: 'Lucia.Mendez@ventanilla.example',
      role: 'agent',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ username: 'lucia.mendez' });
    expect(created.body.temporaryPassword).toMatch(/^[A-Za-z0-9_-]{16}$/);
    // Kept as a salted hash, never as it was given.
    const account = store.find('lucia.mendez')!;
    expect(account).toMatchObject({
      name: 'Lucía Méndez',
      email: 'lucia.mendez@ventanilla.example',
      enabled: true,
    });
    expect(JSON.stringify(account)).not.toContain(created.body.temporaryPassword);
    expect(passwordMatches(created.body.temporaryPassword, account.password)).toBe(true);
    const listed = await admin('/admin/users');
    expect(listed.body.items).toContainEqual(
      expect.objectContaining({ username: 'lucia.mendez', role: 'agent', enabled: true }),
    );
    expect(JSON.stringify(listed.body)).not.toMatch(/scrypt/);

    // The new agent works; once disabled, their very next request is refused, whatever they hold.
    const asLucia = () => call('/catalogue', '[agent]', { user: 'lucia.mendez' });
    expect((await asLucia()).status).toBe(200);
    expect((await admin('/admin/users/lucia.mendez/disable', {})).body).toEqual({
      username: 'lucia.mendez',
      enabled: false,
    });
    expect(await asLucia()).toMatchObject({ status: 401, body: { code: 'ACCOUNT_DISABLED' } });
    await admin('/admin/users/lucia.mendez/enable', {});
    expect((await asLucia()).status).toBe(200);
    const reset = await admin('/admin/users/lucia.mendez/reset', {});
    expect(reset.body.temporaryPassword).not.toBe(created.body.temporaryPassword);
    expect(passwordMatches(reset.body.temporaryPassword, store.find('lucia.mendez')!.password)).toBe(true);

    // Who did what, when: newest first.
    const audit = await admin('/admin/audit');
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual([
      'reset-user',
      'enable-user',
      'disable-user',
      'create-user',
    ]);
    expect(audit.body.items[3]).toMatchObject({
      actor: { id: 'admin', role: 'admin' },
      username: 'lucia.mendez',
      role: 'agent',
    });
  });

  it('refuses, naming the field, and creates nothing: taken names, bad e-mail, unknown or missing departments, own account', async () => {
    const before = (await admin('/admin/users')).body.items.length;
    const auditBefore = (await admin('/admin/audit')).body.items.length;
    const attempt = (body: Record<string, unknown>) =>
      admin('/admin/users', {
        username: 'nuevo',
        name: 'Nuevo',
        email: 'nuevo@x.example',
        role: 'agent',
        ...body,
      });
    expect(await attempt({ username: 'agente' })).toMatchObject({ status: 400, body: { field: 'username' } });
    expect(await attempt({ username: '9x' })).toMatchObject({ status: 400, body: { field: 'username' } });
    expect(await attempt({ email: 'no-at-sign' })).toMatchObject({ status: 400, body: { field: 'email' } });
    expect(await attempt({ name: '  ' })).toMatchObject({ status: 400, body: { field: 'name' } });
    expect(await attempt({ role: 'root' })).toMatchObject({ status: 400, body: { field: 'role' } });
    expect(await attempt({ role: 'backoffice' })).toMatchObject({
      status: 400,
      body: { field: 'departments' },
    });
    expect(await attempt({ departments: ['moon'] })).toMatchObject({
      status: 400,
      body: { field: 'departments' },
    });
    expect(await admin('/admin/users/admin/disable', {})).toMatchObject({
      status: 400,
      body: { field: 'username' },
    });
    expect(await admin('/admin/users/nobody/reset', {})).toMatchObject({ status: 404 });
    expect((await admin('/admin/users')).body.items).toHaveLength(before);
    expect((await admin('/admin/audit')).body.items).toHaveLength(auditBefore);
  });

  it('is for administrators only, whatever a page shows', async () => {
    for (const groups of ['[agent]', '[supervisor]', '[backoffice]'])
      for (const [method, path] of [
        ['GET', '/admin/users'],
        ['POST', '/admin/users'],
        ['POST', '/admin/users/agente/disable'],
        ['POST', '/admin/users/agente/reset'],
        ['GET', '/admin/audit'],
      ] as const)
        expect((await call(path, groups, { method, body: method === 'POST' ? {} : undefined })).status).toBe(
          403,
        );
  });
});
