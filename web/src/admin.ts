import type { AdminAuditEvent, StaffMember, StaffRole } from '../../shared/domain/staff';
import type { Deployment } from '../../shared/domain/deployment';
import { onLanguageButton, savedLanguage, signInAndStart, StaffSession } from './auth';
import { ADMIN_TEXT, type AdminLanguage, type AdminWords } from './admin-i18n';
import { $, fillList, h } from './dom';
import { fill } from './i18n';

interface ApiError {
  readonly code?: string;
  readonly message?: string;
  readonly field?: string;
}
interface ConfigView {
  readonly deployment: Deployment;
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

let session: StaffSession;
let language: AdminLanguage = savedLanguage();
let words: AdminWords = ADMIN_TEXT[language];
let users: readonly StaffMember[] = [];
let audit: readonly AdminAuditEvent[] = [];
let config: ConfigView | undefined;
/** The signed-in administrator, whose own account offers no "Disable". */
let me: string | undefined;

const when = (iso: string) =>
  new Intl.DateTimeFormat(language === 'es' ? 'es-PA' : 'en-US', {
    dateStyle: 'medium',
    timeStyle: 'short',
    ...(config ? { timeZone: config.deployment.timeZone } : {}),
  }).format(new Date(iso));
const departmentName = (id: string) =>
  config?.deployment.departments.find((d) => d.id === id)?.name[language] ?? id;
const failed = (answer: { body: ApiError }) => fill(words.failed, { m: answer.body.message ?? '' });

function say(message: string) {
  $('#status').textContent = message;
}
function alertBox(message: string | undefined) {
  const box = $('#alert');
  box.textContent = message ?? '';
  box.hidden = !message;
}

function showLogin(message = '') {
  $('#login').hidden = false;
  $('#admin').hidden = true;
  $('#signout').hidden = true;
  const error = $('#login-error');
  error.textContent = message;
  error.hidden = !message;
  $<HTMLInputElement>('#username').focus();
}

async function start() {
  const user = await session.user();
  if (!user) return showLogin();
  const answer = await session.api<ConfigView & ApiError>('/admin/config');
  if (answer.status === 403) return showLogin(words.forbidden);
  if (answer.status !== 200) return showLogin();
  config = answer.body;
  $('#login').hidden = true;
  $('#admin').hidden = false;
  $('#signout').hidden = false;
  $('#who').textContent = user.name;
  me = user.username;
  await refresh();
  render();
  $<HTMLInputElement>('#new-username').focus();
}

/** The accounts and the audit as they are now. */
async function refresh() {
  const [list, log] = await Promise.all([
    session.api<{ items?: StaffMember[] } & ApiError>('/admin/users'),
    session.api<{ items?: AdminAuditEvent[] } & ApiError>('/admin/audit'),
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
        text: u.enabled ? words.disable : words.enable,
        'aria-label': `${u.enabled ? words.disable : words.enable}: ${u.username}`,
        'data-action': u.enabled ? 'disable' : 'enable',
      });
      toggle.addEventListener('click', () => void act(u.username, u.enabled ? 'disable' : 'enable'));
      const reset = h('button', {
        type: 'button',
        text: words.reset,
        'aria-label': `${words.reset}: ${u.username}`,
        'data-action': 'reset',
      });
      reset.addEventListener('click', () => void act(u.username, 'reset'));
      return h(
        'tr',
        { 'data-user': u.username, ...(u.enabled ? {} : { class: 'disabled-row' }) },
        h('td', { text: u.username }),
        h('td', { text: u.name ?? '' }),
        h('td', { text: u.email ?? '' }),
        h('td', { text: words.roles[u.role] }),
        h('td', { text: (u.departments ?? []).map(departmentName).join(', ') }),
        h('td', { text: u.enabled ? words.enabled : words.disabled }),
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
        text: `${when(e.at)} · ${e.actor.id} ${words.actionNames[e.action]} ${e.username}${
          e.role
            ? ` (${words.roles[e.role]}${e.departments?.length ? `: ${e.departments.map(departmentName).join(', ')}` : ''})`
            : ''
        }`,
      }),
    ),
    words.noAudit,
  );
}

function renderConfig() {
  if (!config) return;
  const { deployment } = config;
  const fact = (term: string, value: string) => [h('dt', { text: term }), h('dd', { text: value })];
  $('#config').replaceChildren(
    ...fact(words.deployment, `${deployment.name[language] ?? deployment.id} (${deployment.id})`),
    ...fact(words.timeZone, deployment.timeZone),
    ...fact(words.languagesLabel, deployment.languages.join(', ')),
    ...fact(words.serviceLevel, fill(words.seconds, { n: deployment.serviceLevelSeconds })),
    ...fact(words.retention, fill(words.days, { n: deployment.retentionDays })),
  );
  fillList(
    '#config-departments',
    deployment.departments.map((d) =>
      h('li', {
        text: `${d.name[language] ?? d.id}: ${WEEK.map((day) => {
          const spans = (d.hours as Partial<Record<string, readonly { open: string; close: string }[]>>)[day];
          return `${words.weekdays[day]} ${spans?.length ? spans.map((s) => `${s.open}–${s.close}`).join(', ') : words.closed}`;
        }).join(' · ')}`,
      }),
    ),
  );
  fillList(
    '#config-catalogue',
    config.catalogue.map((t) =>
      h('li', {
        text: `${t.name[language] ?? t.id} · ${departmentName(t.department)} · ${
          t.needsPerson ? words.needsPerson : words.selfService
        } · ${fill(words.slaDays, { n: t.slaBusinessDays })}`,
      }),
    ),
  );
  const box = $('#new-departments');
  const checked = new Set([...box.querySelectorAll<HTMLInputElement>('input:checked')].map((i) => i.value));
  box.replaceChildren(
    h('legend', { text: words.departments }),
    ...deployment.departments.map((d) => {
      const input = h('input', { type: 'checkbox', value: d.id, id: `dep-${d.id}` });
      input.checked = checked.has(d.id);
      return h('label', { for: `dep-${d.id}` }, input, d.name[language] ?? d.id);
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
  const answer = await session.api<
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
  say(words.created);
  await refresh();
  render();
}

/** How the person gets in: the temporary password, shown this once, or the invitation sent. */
function showAccess(username: string, access: { temporaryPassword?: string; invited?: boolean }) {
  const box = $('#access');
  box.replaceChildren(
    ...(access.temporaryPassword
      ? [fill(words.temporary, { user: username }), h('code', { text: access.temporaryPassword })]
      : [fill(words.invited, { user: username })]),
  );
  box.hidden = false;
}

async function act(username: string, action: 'disable' | 'enable' | 'reset') {
  alertBox(undefined);
  const answer = await session.api<{ temporaryPassword?: string; invited?: boolean } & ApiError>(
    `/admin/users/${encodeURIComponent(username)}/${action}`,
    { method: 'POST', body: '{}' },
  );
  if (answer.status !== 200) return alertBox(failed(answer));
  if (action === 'reset') showAccess(username, answer.body);
  say(words.done);
  await refresh();
  render();
  document.querySelector<HTMLElement>(`tr[data-user="${CSS.escape(username)}"] button`)?.focus();
}

function applyLanguage() {
  words = ADMIN_TEXT[language];
  document.documentElement.lang = language;
  document.title = `Ventanilla — ${words.title}`;
  document.querySelectorAll<HTMLElement>('[data-text]').forEach((el) => {
    el.textContent = String(words[el.dataset.text as keyof AdminWords] ?? el.textContent);
  });
  document.querySelectorAll<HTMLElement>('[data-role]').forEach((el) => {
    el.textContent = words.roles[el.dataset.role as StaffRole];
  });
  $('#lang').textContent = words.language;
  render();
}

async function boot() {
  session = await StaffSession.load();
  onLanguageButton(
    () => language,
    (next) => {
      language = next;
      applyLanguage();
    },
  );
  $('#signout').addEventListener('click', () => {
    void session.signOut().then((done) => done === 'signed-out' && showLogin());
  });
  $<HTMLFormElement>('#create-form').addEventListener('submit', (e) => void create(e));
  applyLanguage();
  await signInAndStart(session, { showLogin, start, messages: () => words });
}

void boot();
