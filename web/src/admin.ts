import type { AdminAuditEvent, StaffMember, StaffRole } from '../../shared/domain/staff';
import type { Deployment } from '../../shared/domain/deployment';
import type { RetentionKind } from '../../shared/domain/retention-kinds';
import { ADMIN_TEXT } from './admin-i18n';
import { $, fillList, h } from './dom';
import { fill } from './i18n';
import { officePage } from './office-page';

interface ApiError {
  readonly code?: string;
  readonly message?: string;
  readonly field?: string;
}
interface ConfigView {
  readonly deployment: Deployment;
  /** How each kind's retention term is enforced. */
  readonly retentionBy: Readonly<Record<RetentionKind, 'ttl' | 'sweep' | 'lifecycle'>>;
  readonly catalogue: readonly {
    id: string;
    department: string;
    name: Record<string, string>;
    needsPerson: boolean;
    slaBusinessDays: number;
  }[];
}

const WEEK = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
/** The create form's fields, by the API's field names: an error naming one goes to it. */
const FIELDS: Record<string, string> = {
  username: '#new-username',
  name: '#new-name',
  email: '#new-email',
  role: '#new-role',
  departments: '#new-departments input',
};

let users: readonly StaffMember[] = [];
let audit: readonly AdminAuditEvent[] = [];
let config: ConfigView | undefined;
/** The signed-in administrator, whose own account offers no "Disable". */
let me: string | undefined;

const when = (iso: string) =>
  new Intl.DateTimeFormat(page.language() === 'es' ? 'es-PA' : 'en-US', {
    dateStyle: 'medium',
    timeStyle: 'short',
    ...(config ? { timeZone: config.deployment.timeZone } : {}),
  }).format(new Date(iso));
const departmentName = (id: string) =>
  config?.deployment.departments.find((d) => d.id === id)?.name[page.language()] ?? id;

const page = officePage({
  content: '#admin',
  text: ADMIN_TEXT,
  enter: async (user) => {
    const answer = await page.api<ConfigView & ApiError>('/admin/config');
    if (answer.status === 403) return 'forbidden';
    if (answer.status !== 200) return false;
    config = answer.body;
    me = user.username;
    await refresh();
    render();
    setTimeout(() => $<HTMLInputElement>('#new-username').focus(), 0);
    return true;
  },
  render: () => {
    page.named('role', page.words().roles);
    render();
  },
  wire: () => $<HTMLFormElement>('#create-form').addEventListener('submit', (e) => void create(e)),
});
const { say, alertBox, failed } = page;

/** The accounts and the audit as they are now. */
async function refresh() {
  const [list, log] = await Promise.all([
    page.api<{ items?: StaffMember[] } & ApiError>('/admin/users'),
    page.api<{ items?: AdminAuditEvent[] } & ApiError>('/admin/audit'),
  ]);
  if (list.status !== 200) return alertBox(failed(list));
  if (log.status !== 200) return alertBox(failed(log));
  users = list.body.items ?? [];
  audit = log.body.items ?? [];
}

function renderUsers() {
  $('#user-rows').replaceChildren(
    ...users.map((u) => {
      const toggle = h('button', {
        type: 'button',
        text: u.enabled ? page.words().disable : page.words().enable,
        'aria-label': `${u.enabled ? page.words().disable : page.words().enable}: ${u.username}`,
        'data-action': u.enabled ? 'disable' : 'enable',
      });
      toggle.addEventListener('click', () => void act(u.username, u.enabled ? 'disable' : 'enable'));
      const reset = h('button', {
        type: 'button',
        text: page.words().reset,
        'aria-label': `${page.words().reset}: ${u.username}`,
        'data-action': 'reset',
      });
      reset.addEventListener('click', () => void act(u.username, 'reset'));
      return h(
        'tr',
        { 'data-user': u.username, ...(u.enabled ? {} : { class: 'disabled-row' }) },
        h('td', { text: u.username }),
        h('td', { text: u.name ?? '' }),
        h('td', { text: u.email ?? '' }),
        h('td', { text: page.words().roles[u.role] }),
        h('td', { text: (u.departments ?? []).map(departmentName).join(', ') }),
        h('td', { text: u.enabled ? page.words().enabled : page.words().disabled }),
        h('td', {}, u.username === me ? undefined : toggle, reset),
      );
    }),
  );
}

function renderAudit() {
  fillList(
    '#audit',
    audit.map((e) =>
      h('li', {
        text: `${when(e.at)} · ${e.actor.id} ${page.words().actionNames[e.action]} ${e.username}${
          e.role
            ? ` (${page.words().roles[e.role]}${e.departments?.length ? `: ${e.departments.map(departmentName).join(', ')}` : ''})`
            : ''
        }`,
      }),
    ),
    page.words().noAudit,
  );
}

function renderConfig() {
  if (!config) return;
  const { deployment, retentionBy } = config;
  const fact = (term: string, value: string) => [h('dt', { text: term }), h('dd', { text: value })];
  $('#config').replaceChildren(
    ...fact(
      page.words().deployment,
      `${deployment.name[page.language()] ?? deployment.id} (${deployment.id})`,
    ),
    ...fact(page.words().timeZone, deployment.timeZone),
    ...fact(page.words().languagesLabel, deployment.languages.join(', ')),
    ...fact(page.words().serviceLevel, fill(page.words().seconds, { n: deployment.serviceLevelSeconds })),
  );
  const words = page.words();
  $('#retention-rows').replaceChildren(
    ...(Object.keys(retentionBy) as RetentionKind[]).map((kind) => {
      const term = deployment.retention[kind];
      return h(
        'tr',
        { 'data-kind': kind },
        h('th', { scope: 'row', text: words.kinds[kind] }),
        h('td', { text: fill(words.days, { n: term.days }) }),
        h('td', { text: words.fromKinds[kind] }),
        h('td', { text: term.basis[page.language()] }),
        h('td', { text: words.by[retentionBy[kind]] }),
      );
    }),
  );
  fillList(
    '#config-departments',
    deployment.departments.map((d) =>
      h('li', {
        text: `${d.name[page.language()] ?? d.id}: ${WEEK.map((day) => {
          const spans = (d.hours as Partial<Record<string, readonly { open: string; close: string }[]>>)[day];
          return `${page.words().weekdays[day]} ${spans?.length ? spans.map((s) => `${s.open}–${s.close}`).join(', ') : page.words().closed}`;
        }).join(' · ')}`,
      }),
    ),
  );
  fillList(
    '#config-catalogue',
    config.catalogue.map((t) =>
      h('li', {
        text: `${t.name[page.language()] ?? t.id} · ${departmentName(t.department)} · ${
          t.needsPerson ? page.words().needsPerson : page.words().selfService
        } · ${fill(page.words().slaDays, { n: t.slaBusinessDays })}`,
      }),
    ),
  );
  const box = $('#new-departments');
  const checked = new Set([...box.querySelectorAll<HTMLInputElement>('input:checked')].map((i) => i.value));
  box.replaceChildren(
    h('legend', { text: page.words().departments }),
    ...deployment.departments.map((d) => {
      const input = h('input', { type: 'checkbox', value: d.id, id: `dep-${d.id}` });
      input.checked = checked.has(d.id);
      return h('label', { for: `dep-${d.id}` }, input, d.name[page.language()] ?? d.id);
    }),
  );
}

function render() {
  renderUsers();
  renderAudit();
  renderConfig();
}

/** Marks the field an error names (and takes the focus there); clears the others. */
function markField(field: string | undefined) {
  for (const selector of Object.values(FIELDS))
    document.querySelectorAll(selector).forEach((el) => el.removeAttribute('aria-invalid'));
  if (!field || !FIELDS[field]) return;
  const target = document.querySelector<HTMLElement>(FIELDS[field]);
  target?.setAttribute('aria-invalid', 'true');
  target?.focus();
}

async function create(event: SubmitEvent) {
  event.preventDefault();
  alertBox(undefined);
  $('#access').hidden = true;
  const value = (id: string) => $<HTMLInputElement>(id).value.trim();
  const departments = [...document.querySelectorAll<HTMLInputElement>('#new-departments input:checked')].map(
    (i) => i.value,
  );
  const answer = await page.api<
    { username?: string; temporaryPassword?: string; invited?: boolean } & ApiError
  >('/admin/users', {
    method: 'POST',
    body: JSON.stringify({
      username: value('#new-username'),
      name: value('#new-name'),
      email: value('#new-email'),
      role: $<HTMLSelectElement>('#new-role').value as StaffRole,
      departments,
    }),
  });
  if (answer.status !== 201) {
    // Nothing was created: the form keeps what was typed, and the field at fault is marked.
    markField(answer.body.field);
    return alertBox(failed(answer));
  }
  markField(undefined);
  (event.target as HTMLFormElement).reset();
  showAccess(answer.body.username!, answer.body);
  say(page.words().created);
  await refresh();
  render();
}

/** How the person gets in: the temporary password, shown this once, or the invitation sent. */
function showAccess(username: string, access: { temporaryPassword?: string; invited?: boolean }) {
  const box = $('#access');
  box.replaceChildren(
    ...(access.temporaryPassword
      ? [fill(page.words().temporary, { user: username }), h('code', { text: access.temporaryPassword })]
      : [fill(page.words().invited, { user: username })]),
  );
  box.hidden = false;
}

async function act(username: string, action: 'disable' | 'enable' | 'reset') {
  alertBox(undefined);
  const answer = await page.api<{ temporaryPassword?: string; invited?: boolean } & ApiError>(
    `/admin/users/${encodeURIComponent(username)}/${action}`,
    { method: 'POST', body: '{}' },
  );
  if (answer.status !== 200) return alertBox(failed(answer));
  if (action === 'reset') showAccess(username, answer.body);
  say(page.words().done);
  await refresh();
  render();
  document.querySelector<HTMLElement>(`tr[data-user="${CSS.escape(username)}"] button`)?.focus();
}

void page.boot();
