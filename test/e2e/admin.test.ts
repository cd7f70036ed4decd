/// <reference lib="dom" />
import { axeViolations } from '../support/axe';
import { pagesOnLocalBackEnd } from '../support/browser';

const world = pagesOnLocalBackEnd('admin page');

describe('the administration page in Chromium', () => {
  it('creates an agent who signs in at once to the agent panel but not here; disabled, their next request is refused', async () => {
    const admin = await world.signedIn('/admin/', 'admin');
    await admin.locator('#user-rows tr[data-user="agente"]').waitFor();
    expect(await admin.textContent('#config')).toContain('America/Panama');
    // The retention schedule in force: a row per kind, its term, basis and how it is enforced.
    const caseRow = admin.locator('#retention-rows tr[data-kind="case"]');
    expect(await admin.locator('#retention-rows tr').count()).toBe(9);
    expect(await caseRow.textContent()).toContain('1825 días');
    expect(await caseRow.textContent()).toContain('barrido diario');
    expect(await admin.textContent('#retention-rows tr[data-kind="metricsAggregate"]')).toContain(
      'sin datos personales',
    );

    // A mistyped e-mail: refused, the field marked and focused, what was typed kept, nothing created.
    await admin.fill('#new-username', 'rosa.quintero');
    await admin.fill('#new-name', 'Rosa Quintero');
    await admin.fill('#new-email', 'rosa.quintero');
    await admin.click('#create-form button[type="submit"]');
    await admin.locator('#alert', { hasText: 'e-mail' }).waitFor();
    expect(await admin.getAttribute('#new-email', 'aria-invalid')).toBe('true');
    expect(await admin.evaluate(() => document.activeElement?.id)).toBe('new-email');
    expect(await admin.inputValue('#new-name')).toBe('Rosa Quintero');
    expect(await admin.locator('#user-rows tr[data-user="rosa.quintero"]').count()).toBe(0);

    await admin.fill('#new-email', 'rosa.quintero@ventanilla.example');
    await admin.selectOption('#new-role', 'agent');
    await admin.click('#create-form button[type="submit"]');
    const password = await admin.locator('#access code').textContent();
    expect(password).toMatch(/^[A-Za-z0-9_-]{16}$/);
    await admin.locator('#user-rows tr[data-user="rosa.quintero"]').waitFor();
    expect(await admin.textContent('#audit')).toContain('creó la cuenta rosa.quintero');
    expect(await axeViolations(admin, 'admin page, es')).toEqual([]);
    await admin.screenshot({ path: 'test-results/admin.png', fullPage: true });

    // Rosa signs in with it: the agent panel opens; the admin page does not.
    const rosa = await world.signedIn('/agent/', 'rosa.quintero', password!);
    await rosa.locator('#search-text').waitFor();
    await rosa.goto(`${world.backEnd.url}/admin/`);
    await rosa.locator('#login-error', { hasText: 'no administra' }).waitFor();
    expect(await rosa.evaluate(() => fetch('/api/admin/users').then((r) => r.status))).toBe(403);

    // Disabled: her very next request is refused; re-enabled, she is back.
    await admin.click('#user-rows tr[data-user="rosa.quintero"] [data-action="disable"]');
    await admin.locator('#user-rows tr[data-user="rosa.quintero"] [data-action="enable"]').waitFor();
    expect(await rosa.evaluate(() => fetch('/api/catalogue').then((r) => r.status))).toBe(401);
    await admin.click('#lang');
    await admin.locator('#audit', { hasText: 'disabled the account rosa.quintero' }).waitFor();
    expect(await caseRow.textContent()).toContain('daily sweep, with a report');
    expect(await axeViolations(admin, 'admin page, en')).toEqual([]);
    await admin.screenshot({ path: 'test-results/admin-en.png', fullPage: true });
  }, 60_000);

  it("hands over a citizen's subject-access document that a screen reader can read, in Spanish and English", async () => {
    const admin = await world.signedIn('/admin/', 'admin');
    await admin.locator('#user-rows').waitFor();
    const html = await admin.evaluate(async () => {
      const post = (path: string, body: unknown) =>
        fetch(path, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      const made = await post('/api/citizens', {
        givenNames: 'Elena',
        surnames: 'Batista <Ríos>',
        phone: '+50769990301',
        email: 'elena.batista@example.org',
      });
      const { citizen } = (await made.json()) as { citizen: { id: string } };
      const documents: Record<string, string> = {};
      for (const lang of ['es', 'en'])
        documents[lang] = await (
          await post(`/api/citizens/${citizen.id}/subject-access?format=html&lang=${lang}`, {
            reason: 'Solicitud de acceso 7',
          })
        ).text();
      return documents;
    });
    for (const [lang, document] of Object.entries(html)) {
      await admin.setContent(document);
      expect(await admin.locator('h1').textContent()).toBe(
        lang === 'es'
          ? 'Datos personales que conserva la administración'
          : 'Personal data held by the administration',
      );
      expect(await admin.locator('body').textContent()).toContain('Batista <Ríos>');
      expect(await axeViolations(admin, `subject-access document, ${lang}`)).toEqual([]);
      await admin.screenshot({ path: `test-results/subject-access-${lang}.png`, fullPage: true });
    }
  }, 60_000);
});
