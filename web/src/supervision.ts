import { isClosed, type AuditEvent, type Case } from '../../shared/domain/case';
import { formatTicket, isTicket, type Ticket } from '../../shared/domain/ticket';
import type { Citizen } from '../../shared/domain/citizen';
import type { SupervisedCase } from '../../shared/domain/supervision';
import { onLanguageButton, savedLanguage, signInAndStart, StaffSession } from './auth';
import { SUPERVISION_TEXT, type SupervisionLanguage, type SupervisionWords } from './supervision-i18n';
import { $, fillList, h } from './dom';
import { fill } from './i18n';

interface ApiError {
  readonly code?: string;
  readonly message?: string;
  readonly field?: string;
}
interface CatalogueView {
  readonly timeZone: string;
  readonly departments: readonly { id: string; name: Record<string, string> }[];
  readonly topics: readonly { id: string; name: Record<string, string> }[];
}

let session: StaffSession;
let language: SupervisionLanguage = savedLanguage();
let words: SupervisionWords = SUPERVISION_TEXT[language];
let catalogue: CatalogueView | undefined;
let listed: { items: readonly SupervisedCase[]; truncated: boolean } | undefined;
let shown: { case: Case; audit: readonly AuditEvent[]; etag: string } | undefined;
let found: readonly Citizen[] = [];

const when = (iso: string) =>
  new Intl.DateTimeFormat(language === 'es' ? 'es-PA' : 'en-US', {
    dateStyle: 'medium',
    timeStyle: 'short',
    ...(catalogue ? { timeZone: catalogue.timeZone } : {}),
  }).format(new Date(iso));
const topicName = (id: string) => catalogue?.topics.find((t) => t.id === id)?.name[language] ?? id;
const departmentName = (id: string) => catalogue?.departments.find((d) => d.id === id)?.name[language] ?? id;
const nameOf = (c: Citizen) => [c.givenNames, c.surnames].filter(Boolean).join(' ') || c.id;
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
  $('#supervision').hidden = true;
  $('#signout').hidden = true;
  const error = $('#login-error');
  error.textContent = message;
  error.hidden = !message;
  $<HTMLInputElement>('#username').focus();
}

async function start() {
  const user = await session.user();
  if (!user) return showLogin();
  // The page is for who may use it: the lists' own route answers 403 to everybody else.
  const probe = await session.api<ApiError>('/supervision/cases?view=open&department=all');
  if (probe.status === 403) return showLogin(words.forbidden);
  const answer = await session.api<CatalogueView>('/catalogue');
  if (answer.status !== 200) return showLogin();
  catalogue = answer.body;
  $('#login').hidden = true;
  $('#supervision').hidden = false;
  $('#signout').hidden = false;
  $('#who').textContent = user.name;
  fillDepartments();
  await showList();
}

function fillDepartments() {
  const select = $<HTMLSelectElement>('#f-department');
  const kept = select.value || 'all';
  select.replaceChildren(
    h('option', { value: 'all', text: words.allDepartments }),
    ...(catalogue?.departments ?? []).map((d) =>
      h('option', { value: d.id, text: d.name[language] ?? d.id }),
    ),
  );
  select.value = kept;
}

const listQuery = () =>
  new URLSearchParams({
    department: $<HTMLSelectElement>('#f-department').value || 'all',
    view: $<HTMLSelectElement>('#f-view').value,
    sort: $<HTMLSelectElement>('#f-sort').value,
  });

async function showList(event?: SubmitEvent) {
  event?.preventDefault();
  alertBox(undefined);
  const answer = await session.api<{ items?: SupervisedCase[]; truncated?: boolean } & ApiError>(
    `/supervision/cases?${listQuery().toString()}`,
  );
  if (answer.status !== 200) return alertBox(failed(answer));
  listed = { items: answer.body.items ?? [], truncated: answer.body.truncated ?? false };
  renderList();
}

function renderList() {
  if (!listed) return;
  $('#count').textContent = listed.truncated
    ? fill(words.truncated, { n: listed.items.length })
    : listed.items.length === 1
      ? words.countOne
      : fill(words.count, { n: listed.items.length });
  $('#case-rows').replaceChildren(
    ...listed.items.map((c) => {
      const open = h('button', {
        type: 'button',
        text: words.open,
        'aria-label': `${words.open} ${formatTicket(c.ticket as Ticket)}`,
      });
      open.addEventListener('click', () => void openCase(c.ticket));
      return h(
        'tr',
        { 'data-ticket': c.ticket },
        h('td', {}, h('span', { class: 'ticket', text: formatTicket(c.ticket as Ticket) })),
        h('td', { text: topicName(c.topicId) }),
        h('td', { text: departmentName(c.departmentId) }),
        h('td', { text: words.statuses[c.status] }),
        h('td', { text: when(c.createdAt) }),
        h(
          'td',
          {},
          when(c.dueAt),
          c.overdue ? h('span', { class: 'overdue', text: ` · ${words.overdueMark}` }) : undefined,
        ),
        h('td', {}, open),
      );
    }),
  );
}

/** The list as the CSV file the API makes (the same columns, safe to open in a spreadsheet). */
async function download() {
  const query = listQuery();
  query.set('format', 'csv');
  const answer = await session.api<{ csv?: string } & ApiError>(`/supervision/cases?${query.toString()}`);
  if (answer.status !== 200 || answer.body.csv === undefined) return alertBox(failed(answer));
  const link = h('a', {
    href: URL.createObjectURL(new Blob([answer.body.csv], { type: 'text/csv;charset=utf-8' })),
    download: `cases-${query.get('view')}-${query.get('department')}.csv`,
  });
  document.body.append(link);
  link.click();
  link.remove();
}

async function openCase(ticket: string) {
  alertBox(undefined);
  const answer = await session.api<{ case: Case; audit: AuditEvent[] } & ApiError>(`/cases/${ticket}`);
  if (answer.status !== 200) return alertBox(failed(answer));
  shown = { case: answer.body.case, audit: answer.body.audit, etag: answer.headers.get('etag') ?? '' };
  renderCase();
  $('#case').hidden = false;
  $('#case-h').focus();
}

function renderCase() {
  if (!shown) return;
  const c = shown.case;
  $('#case-h').textContent = `${words.ticket} ${formatTicket(c.ticket)}`;
  const fact = (term: string, value: string) => [h('dt', { text: term }), h('dd', { text: value })];
  $('#case-facts').replaceChildren(
    ...fact(words.statusCol, words.statuses[c.status]),
    ...fact(words.topic, topicName(c.topicId)),
    ...fact(words.department, departmentName(c.departmentId)),
    ...fact(words.due, when(c.dueAt)),
    ...fact(words.answer, c.answer ?? words.noAnswer),
  );
  // The history as a person reads it: when, who (and in which role), from what to what, and why.
  fillList(
    '#audit',
    shown.audit.map((a) =>
      h('li', {
        text: `${when(a.at)} · ${a.actor.id} (${a.actor.role}) · ${
          a.from
            ? `${words.statuses[a.from]} → ${words.statuses[a.to]}`
            : `${words.opened}: ${words.statuses[a.to]}`
        }${a.reason ? ` · «${a.reason}»` : ''}`,
      }),
    ),
  );
  $('#reopen').hidden = !isClosed(c.status);
}

async function reopen(event: SubmitEvent) {
  event.preventDefault();
  if (!shown) return;
  alertBox(undefined);
  const reason = $<HTMLTextAreaElement>('#reopen-reason').value.trim();
  const answer = await session.api<ApiError>(`/cases/${shown.case.ticket}/transitions`, {
    method: 'POST',
    headers: { 'if-match': shown.etag },
    body: JSON.stringify({ to: 'OPEN', ...(reason ? { reason } : {}) }),
  });
  if (answer.status !== 200) {
    if (answer.body.field === 'reason') $('#reopen-reason').focus();
    return alertBox(failed(answer));
  }
  $<HTMLTextAreaElement>('#reopen-reason').value = '';
  say(words.reopened);
  await openCase(shown.case.ticket);
}

async function find(event: SubmitEvent) {
  event.preventDefault();
  const typed = $<HTMLInputElement>('#find-ticket').value.trim();
  if (!isTicket(typed)) return alertBox(fill(words.failed, { m: words.ticket }));
  await openCase(typed.replace(/[\s.-]/g, ''));
}

async function searchCitizens(event: SubmitEvent) {
  event.preventDefault();
  alertBox(undefined);
  const kind = $<HTMLSelectElement>('#merge-kind').value;
  const text = $<HTMLInputElement>('#merge-text').value.trim();
  if (!text) return;
  const answer = await session.api<{ items?: Citizen[] } & ApiError>(
    `/citizens?${new URLSearchParams({ [kind]: text }).toString()}`,
  );
  if (answer.status !== 200) return alertBox(failed(answer));
  found = answer.body.items ?? [];
  renderChoices();
  $('#merge').hidden = !found.length;
  if (!found.length) say(words.noResults);
}

function renderChoices() {
  for (const [box, name] of [
    ['#merge-survivor', 'survivor'],
    ['#merge-duplicate', 'duplicate'],
  ] as const) {
    const fieldset = $(box);
    const kept = fieldset.querySelector<HTMLInputElement>('input:checked')?.value;
    fieldset.replaceChildren(
      h('legend', { text: words[name] }),
      ...found.map((c) => {
        const id = `${name}-${c.id}`;
        const input = h('input', { type: 'radio', name, value: c.id, id });
        input.checked = kept === c.id;
        return h(
          'label',
          { for: id },
          input,
          ` ${nameOf(c)} · ${c.identities.map((i) => i.value).join(' · ')}${c.document ? ` · ${c.document.number}` : ''}`,
        );
      }),
    );
  }
}

async function merge(event: SubmitEvent) {
  event.preventDefault();
  alertBox(undefined);
  const survivor = document.querySelector<HTMLInputElement>('#merge-survivor input:checked')?.value;
  const duplicate = document.querySelector<HTMLInputElement>('#merge-duplicate input:checked')?.value;
  if (!survivor || !duplicate || survivor === duplicate) return alertBox(words.chooseTwo);
  const reason = $<HTMLTextAreaElement>('#merge-reason').value.trim();
  const answer = await session.api<{ citizen?: Citizen } & ApiError>(
    `/citizens/${encodeURIComponent(survivor)}/merge`,
    { method: 'POST', body: JSON.stringify({ duplicateId: duplicate, reason }) },
  );
  // Refused (unsafe, or a field missing): the reason, and nothing changed; the choices stay as they were.
  if (answer.status !== 200) {
    if (answer.body.field === 'reason') $('#merge-reason').focus();
    return alertBox(failed(answer));
  }
  const names = new Map(found.map((c) => [c.id, nameOf(c)]));
  say(
    fill(words.merged, {
      duplicate: names.get(duplicate) ?? duplicate,
      survivor: names.get(survivor) ?? survivor,
    }),
  );
  $<HTMLTextAreaElement>('#merge-reason').value = '';
  found = [];
  $('#merge').hidden = true;
}

function applyLanguage() {
  words = SUPERVISION_TEXT[language];
  document.documentElement.lang = language;
  document.title = `Ventanilla — ${words.title}`;
  document.querySelectorAll<HTMLElement>('[data-text]').forEach((el) => {
    el.textContent = String(words[el.dataset.text as keyof SupervisionWords] ?? el.textContent);
  });
  const named = (attribute: string, dictionary: Record<string, string>) =>
    document.querySelectorAll<HTMLElement>(`[data-${attribute}]`).forEach((el) => {
      el.textContent = dictionary[el.dataset[attribute]!] ?? el.textContent;
    });
  named('view', words.views);
  named('sort', words.sorts);
  named('kind', words.kinds);
  $('#lang').textContent = words.language;
  fillDepartments();
  renderList();
  renderCase();
  renderChoices();
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
  $<HTMLFormElement>('#filters').addEventListener('submit', (e) => void showList(e));
  $('#download').addEventListener('click', () => void download());
  $<HTMLFormElement>('#find').addEventListener('submit', (e) => void find(e));
  $<HTMLFormElement>('#reopen').addEventListener('submit', (e) => void reopen(e));
  $<HTMLFormElement>('#merge-search').addEventListener('submit', (e) => void searchCitizens(e));
  $<HTMLFormElement>('#merge').addEventListener('submit', (e) => void merge(e));
  applyLanguage();
  await signInAndStart(session, { showLogin, start, messages: () => words });
}

void boot();
