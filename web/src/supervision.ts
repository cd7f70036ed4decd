import { isClosed, type AuditEvent, type Case } from '../../shared/domain/case';
import { formatTicket, isTicket, type Ticket } from '../../shared/domain/ticket';
import type { Citizen } from '../../shared/domain/citizen';
import type { SupervisedCase } from '../../shared/domain/supervision';
import { SUPERVISION_TEXT } from './supervision-i18n';
import { $, fillList, h } from './dom';
import { fill } from './i18n';
import { officePage } from './office-page';

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

let catalogue: CatalogueView | undefined;
let listed: { items: readonly SupervisedCase[]; truncated: boolean } | undefined;
let shown: { case: Case; audit: readonly AuditEvent[]; etag: string } | undefined;
let found: readonly Citizen[] = [];

const when = (iso: string) =>
  new Intl.DateTimeFormat(page.language() === 'es' ? 'es-PA' : 'en-US', {
    dateStyle: 'medium',
    timeStyle: 'short',
    ...(catalogue ? { timeZone: catalogue.timeZone } : {}),
  }).format(new Date(iso));
const topicName = (id: string) => catalogue?.topics.find((t) => t.id === id)?.name[page.language()] ?? id;
const departmentName = (id: string) =>
  catalogue?.departments.find((d) => d.id === id)?.name[page.language()] ?? id;
const nameOf = (c: Citizen) => [c.givenNames, c.surnames].filter(Boolean).join(' ') || c.id;

const page = officePage({
  content: '#supervision',
  text: SUPERVISION_TEXT,
  enter: async () => {
    // The page is for who may use it: the lists' own route answers 403 to everybody else.
    const probe = await page.api<ApiError>('/supervision/cases?view=open&department=all');
    if (probe.status === 403) return 'forbidden';
    const answer = await page.api<CatalogueView>('/catalogue');
    if (answer.status !== 200) return false;
    catalogue = answer.body;
    fillDepartments();
    await showList();
    return true;
  },
  render: () => {
    const w = page.words();
    page.named('view', w.views);
    page.named('sort', w.sorts);
    page.named('kind', w.kinds);
    fillDepartments();
    renderList();
    renderCase();
    renderChoices();
  },
  wire: () => {
    $<HTMLFormElement>('#filters').addEventListener('submit', (e) => void showList(e));
    $('#download').addEventListener('click', () => void download());
    $<HTMLFormElement>('#find').addEventListener('submit', (e) => void find(e));
    $<HTMLFormElement>('#reopen').addEventListener('submit', (e) => void reopen(e));
    $<HTMLFormElement>('#merge-search').addEventListener('submit', (e) => void searchCitizens(e));
    $<HTMLFormElement>('#merge').addEventListener('submit', (e) => void merge(e));
  },
});
const { say, alertBox, failed } = page;

function fillDepartments() {
  const select = $<HTMLSelectElement>('#f-department');
  const kept = select.value || 'all';
  select.replaceChildren(
    h('option', { value: 'all', text: page.words().allDepartments }),
    ...(catalogue?.departments ?? []).map((d) =>
      h('option', { value: d.id, text: d.name[page.language()] ?? d.id }),
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
  const answer = await page.api<{ items?: SupervisedCase[]; truncated?: boolean } & ApiError>(
    `/supervision/cases?${listQuery().toString()}`,
  );
  if (answer.status !== 200) return alertBox(failed(answer));
  listed = { items: answer.body.items ?? [], truncated: answer.body.truncated ?? false };
  renderList();
}

function renderList() {
  if (!listed) return;
  $('#count').textContent = listed.truncated
    ? fill(page.words().truncated, { n: listed.items.length })
    : listed.items.length === 1
      ? page.words().countOne
      : fill(page.words().count, { n: listed.items.length });
  $('#case-rows').replaceChildren(
    ...listed.items.map((c) => {
      const open = h('button', {
        type: 'button',
        text: page.words().open,
        'aria-label': `${page.words().open} ${formatTicket(c.ticket as Ticket)}`,
      });
      open.addEventListener('click', () => void openCase(c.ticket));
      return h(
        'tr',
        { 'data-ticket': c.ticket },
        h('td', {}, h('span', { class: 'ticket', text: formatTicket(c.ticket as Ticket) })),
        h('td', { text: topicName(c.topicId) }),
        h('td', { text: departmentName(c.departmentId) }),
        h('td', { text: page.words().statuses[c.status] }),
        h('td', { text: when(c.createdAt) }),
        h(
          'td',
          {},
          when(c.dueAt),
          c.overdue ? h('span', { class: 'overdue', text: ` · ${page.words().overdueMark}` }) : undefined,
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
  const answer = await page.api<{ csv?: string } & ApiError>(`/supervision/cases?${query.toString()}`);
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
  const answer = await page.api<{ case: Case; audit: AuditEvent[] } & ApiError>(`/cases/${ticket}`);
  if (answer.status !== 200) return alertBox(failed(answer));
  shown = { case: answer.body.case, audit: answer.body.audit, etag: answer.headers.get('etag') ?? '' };
  renderCase();
  $('#case').hidden = false;
  $('#case-h').focus();
}

function renderCase() {
  if (!shown) return;
  const c = shown.case;
  $('#case-h').textContent = `${page.words().ticket} ${formatTicket(c.ticket)}`;
  const fact = (term: string, value: string) => [h('dt', { text: term }), h('dd', { text: value })];
  $('#case-facts').replaceChildren(
    ...fact(page.words().statusCol, page.words().statuses[c.status]),
    ...fact(page.words().topic, topicName(c.topicId)),
    ...fact(page.words().department, departmentName(c.departmentId)),
    ...fact(page.words().due, when(c.dueAt)),
    ...fact(page.words().answer, c.answer ?? page.words().noAnswer),
  );
  // The history as a person reads it: when, who (and in which role), from what to what, and why.
  fillList(
    '#audit',
    shown.audit.map((a) =>
      h('li', {
        text: `${when(a.at)} · ${a.actor.id} (${a.actor.role}) · ${
          a.from
            ? `${page.words().statuses[a.from]} → ${page.words().statuses[a.to]}`
            : `${page.words().opened}: ${page.words().statuses[a.to]}`
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
  const answer = await page.api<ApiError>(`/cases/${shown.case.ticket}/transitions`, {
    method: 'POST',
    headers: { 'if-match': shown.etag },
    body: JSON.stringify({ to: 'OPEN', ...(reason ? { reason } : {}) }),
  });
  if (answer.status !== 200) {
    if (answer.body.field === 'reason') $('#reopen-reason').focus();
    return alertBox(failed(answer));
  }
  $<HTMLTextAreaElement>('#reopen-reason').value = '';
  say(page.words().reopened);
  await openCase(shown.case.ticket);
}

async function find(event: SubmitEvent) {
  event.preventDefault();
  const typed = $<HTMLInputElement>('#find-ticket').value.trim();
  if (!isTicket(typed)) return alertBox(fill(page.words().failed, { m: page.words().ticket }));
  await openCase(typed.replace(/[\s.-]/g, ''));
}

async function searchCitizens(event: SubmitEvent) {
  event.preventDefault();
  alertBox(undefined);
  const kind = $<HTMLSelectElement>('#merge-kind').value;
  const text = $<HTMLInputElement>('#merge-text').value.trim();
  if (!text) return;
  const answer = await page.api<{ items?: Citizen[] } & ApiError>(
    `/citizens?${new URLSearchParams({ [kind]: text }).toString()}`,
  );
  if (answer.status !== 200) return alertBox(failed(answer));
  found = answer.body.items ?? [];
  renderChoices();
  $('#merge').hidden = !found.length;
  if (!found.length) say(page.words().noResults);
}

function renderChoices() {
  for (const [box, name] of [
    ['#merge-survivor', 'survivor'],
    ['#merge-duplicate', 'duplicate'],
  ] as const) {
    const fieldset = $(box);
    const kept = fieldset.querySelector<HTMLInputElement>('input:checked')?.value;
    fieldset.replaceChildren(
      h('legend', { text: page.words()[name] }),
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
  if (!survivor || !duplicate || survivor === duplicate) return alertBox(page.words().chooseTwo);
  const reason = $<HTMLTextAreaElement>('#merge-reason').value.trim();
  const answer = await page.api<{ citizen?: Citizen } & ApiError>(
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
    fill(page.words().merged, {
      duplicate: names.get(duplicate) ?? duplicate,
      survivor: names.get(survivor) ?? survivor,
    }),
  );
  $<HTMLTextAreaElement>('#merge-reason').value = '';
  found = [];
  $('#merge').hidden = true;
}

void page.boot();
