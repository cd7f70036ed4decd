import { isClosed, movesFrom, type AuditEvent, type Case, type CaseStatus } from '../../shared/domain/case';
import { formatTicket, isTicket, verhoeffValid, type Ticket } from '../../shared/domain/ticket';
import type { Citizen } from '../../shared/domain/citizen';
import type { ContactRecord } from '../../shared/domain/contact';
import type { CaseNote } from '../../shared/domain/notes';
import { onLanguageButton, savedLanguage, signInAndStart, StaffSession, type StaffUser } from './auth';
import { AGENT_TEXT, type AgentLanguage, type AgentWords } from './agent-i18n';
import { $, fillList, h } from './dom';
import { fill } from './i18n';
import type { ContactEvents, PanelContact } from './contact-events/port';
import { localContactEvents } from './contact-events/local';
import { streamsContactEvents } from './contact-events/streams';
import { workspaceContactEvents } from './contact-events/workspace';
import { channelOf, mountDesk } from './desk';
import { mountAppointments } from './agent-appointments';

/** What GET /catalogue answers. */
interface CatalogueView {
  readonly timeZone: string;
  readonly defaultDocumentType: string;
  readonly topics: readonly {
    id: string;
    department: string;
    name: Record<string, string>;
    needsPerson: boolean;
  }[];
}
interface CitizenView {
  readonly citizen: Citizen;
  readonly cases: readonly Case[];
  readonly contacts: readonly ContactRecord[];
  /** Why this is a repeat contact, when it is. */
  readonly repeat?: { readonly ticket: Ticket; readonly contacts: number };
}
interface CaseView {
  readonly case: Case;
  readonly audit: readonly AuditEvent[];
  readonly notes: readonly CaseNote[];
}
interface ApiError {
  readonly code?: string;
  readonly message?: string;
}

const OFFERED_CHANNELS = ['VOICE', 'WHATSAPP', 'SMS', 'CHAT', 'EMAIL'] as const;
const SUPERVISING = new Set(['supervisor', 'admin']);

let session: StaffSession;
let user: StaffUser | undefined;
let language: AgentLanguage = savedLanguage();
let words: AgentWords = AGENT_TEXT[language];
let catalogue: CatalogueView | undefined;
let shownCitizen: CitizenView | undefined;
let shownCase: { view: CaseView; etag: string } | undefined;
let desk: ReturnType<typeof mountDesk> | undefined;
let appointments: ReturnType<typeof mountAppointments> | undefined;
/** Who takes contacts (in Connect, whoever has a routing profile). */
const TAKES_CONTACTS = new Set(['agent', 'supervisor']);

const topicName = (id: string) => catalogue?.topics.find((t) => t.id === id)?.name[language] ?? id;
const when = (iso: string) =>
  new Intl.DateTimeFormat(language === 'es' ? 'es-PA' : 'en-US', {
    dateStyle: 'medium',
    timeStyle: 'short',
    ...(catalogue ? { timeZone: catalogue.timeZone } : {}),
  }).format(new Date(iso));
const statusName = (s: CaseStatus) => words.statuses[s];

function say(message: string) {
  $('#status').textContent = message;
}
function alertBox(message: string | undefined) {
  const box = $('#alert');
  box.textContent = message ?? '';
  box.hidden = !message;
}

// ---- sign-in

function showLogin(message = '') {
  $('#login').hidden = false;
  $('#panel').hidden = true;
  $('#signout').hidden = true;
  const error = $('#login-error');
  error.textContent = message;
  error.hidden = !message;
  $<HTMLInputElement>('#username').focus();
}

async function start() {
  user = await session.user();
  if (!user) return showLogin();
  const answer = await session.api<CatalogueView>('/catalogue');
  if (answer.status === 403) return showLogin(words.forbidden);
  if (answer.status !== 200) return showLogin();
  catalogue = answer.body;
  $('#login').hidden = true;
  $('#panel').hidden = false;
  $('#signout').hidden = false;
  $('#who').textContent = user.name;
  fillTopics();
  startDesk();
  // A screen pop: the softphone (or the local caller) opens the panel on the caller's number, or, with the
  // panel already open, points it at them (`#pop=<number>`).
  const phone = new URLSearchParams(location.search).get('phone') ?? popOf(location.hash);
  if (phone) await pop(phone);
  else $<HTMLInputElement>('#search-text').focus();
}

/**
 * Where contacts come from: the local routing of `npm start`; in AWS, the softphone of the standalone page
 * (Streams), or the agent workspace around the panel. Outside both, the panel is search and case work only.
 */
function contactEvents(): ContactEvents | undefined {
  if (session.config.mode === 'local')
    return user && TAKES_CONTACTS.has(user.role) ? localContactEvents() : undefined;
  const ccp = document.getElementById('ccp');
  if (ccp && session.config.ccpUrl && 'connect' in window)
    return streamsContactEvents(session.config.ccpUrl, ccp);
  if (window.parent !== window) return workspaceContactEvents();
  return undefined;
}

function startDesk() {
  if (desk) return;
  const events = contactEvents();
  if (!events) return;
  desk = mountDesk(events, {
    words: () => words,
    pop: popContact,
    citizen: () => shownCitizen && { id: shownCitizen.citizen.id, name: nameOf(shownCitizen.citizen) },
    ticket: () =>
      shownCase && shownCase.view.case.citizenId === shownCitizen?.citizen.id
        ? shownCase.view.case.ticket
        : undefined,
    topics: () => (catalogue?.topics ?? []).map((t) => ({ id: t.id, name: t.name[language] ?? t.id })),
    wrapUp: async (contactId, body) => {
      const answer = await session.api<ApiError>(`/contacts/${encodeURIComponent(contactId)}/wrap-up`, {
        method: 'POST',
        body: JSON.stringify(body),
      });
      if (answer.status === 200) {
        if (shownCitizen && !$('#citizen').hidden) await openCitizen(shownCitizen.citizen.id, false);
        return undefined;
      }
      return answer.body.message ?? String(answer.status);
    },
    alert: alertBox,
    say,
  });
}

/**
 * The screen pop of a contact: the citizen the flows identified (an opaque id, set only for a caller who
 * proved who they are), or whoever the number belongs to, or the registration form.
 */
async function popContact(contact: PanelContact) {
  if (contact.attributes.citizenId) return openCitizen(contact.attributes.citizenId);
  if (contact.phone) return pop(contact.phone);
  $<HTMLInputElement>('#search-text').focus();
}

const popOf = (hash: string) => new URLSearchParams(hash.replace(/^#/, '')).get('pop') ?? undefined;

/** Shows whoever calls from the number: the citizen, or the registration form. */
async function pop(phone: string) {
  $<HTMLSelectElement>('#search-kind').value = 'phone';
  $<HTMLInputElement>('#search-text').value = phone;
  await search();
}

// ---- search

/** Feedback on a ticket as it is typed: how many digits to go, and the check digit once all are there. */
export function ticketHint(typed: string, w: AgentWords): string {
  const digits = typed.replace(/[\s.-]/g, '');
  if (!/^\d*$/.test(digits) || !digits) return '';
  if (digits.length === 9) return w.ticketOneMore;
  if (digits.length < 10) return fill(w.ticketIncomplete, { n: 10 - digits.length });
  if (digits.length > 10) return w.ticketTooLong;
  return verhoeffValid(digits) && digits[0] !== '0' ? w.ticketOk : w.ticketBad;
}

function updateHint() {
  const kind = $<HTMLSelectElement>('#search-kind').value;
  $('#search-hint').textContent =
    kind === 'ticket' ? ticketHint($<HTMLInputElement>('#search-text').value, words) : '';
}

async function search(event?: SubmitEvent) {
  event?.preventDefault();
  alertBox(undefined);
  const kind = $<HTMLSelectElement>('#search-kind').value;
  const text = $<HTMLInputElement>('#search-text').value.trim();
  if (!text) return;
  $('#register').hidden = true;
  if (kind === 'ticket') {
    if (!isTicket(text)) return alertBox(ticketHint(text, words) || words.ticketBad);
    return openCaseView(text.replace(/[\s.-]/g, '') as Ticket);
  }
  const query: Record<string, string> = {
    [kind === 'document' || kind === 'phone' ? kind : 'surname']: text,
  };
  const answer = await session.api<{ items?: Citizen[] } & ApiError>(
    `/citizens?${new URLSearchParams(query).toString()}`,
  );
  if (answer.status !== 200) return alertBox(fill(words.failed, { m: answer.body.message ?? '' }));
  const items = answer.body.items ?? [];
  if (items.length === 1) return openCitizen(items[0]!.id);
  $('#citizen').hidden = true;
  $('#case').hidden = true;
  $('#results').hidden = false;
  fillList(
    '#result-list',
    items.map((c) =>
      h(
        'li',
        {},
        h('button', { type: 'button', text: nameOf(c) }),
        ` ${c.identities.map((i) => i.value).join(' · ')}`,
      ),
    ),
    kind === 'phone' ? words.noneForPhone : words.noResults,
  );
  items.forEach((c, i) =>
    $('#result-list')
      .children[i]!.querySelector('button')!
      .addEventListener('click', () => void openCitizen(c.id)),
  );
  if (!items.length && kind === 'phone') {
    $('#register').hidden = false;
    $<HTMLInputElement>('#reg-phone').value = text;
    $<HTMLInputElement>('#reg-given').focus();
  }
  say(`${words.results}: ${items.length}`);
}

const nameOf = (c: Pick<Citizen, 'givenNames' | 'surnames'>) =>
  [c.givenNames, c.surnames].filter(Boolean).join(' ') || words.unnamed;

// ---- registration

async function register(event: SubmitEvent) {
  event.preventDefault();
  const value = (id: string) => $<HTMLInputElement>(id).value.trim();
  const document = value('#reg-document');
  const answer = await session.api<{ citizen?: Citizen } & ApiError>('/citizens', {
    method: 'POST',
    body: JSON.stringify({
      givenNames: value('#reg-given'),
      surnames: value('#reg-surnames'),
      ...(value('#reg-phone') ? { phone: value('#reg-phone') } : {}),
      ...(document ? { document: { type: catalogue!.defaultDocumentType, number: document } } : {}),
      language: $<HTMLSelectElement>('#reg-language').value,
    }),
  });
  if (answer.status !== 201 || !answer.body.citizen)
    return alertBox(fill(words.failed, { m: answer.body.message ?? '' }));
  $('#register').hidden = true;
  say(words.saved);
  await openCitizen(answer.body.citizen.id);
}

// ---- the citizen

async function openCitizen(id: string, focus = true) {
  const answer = await session.api<CitizenView & ApiError>(`/citizens/${encodeURIComponent(id)}`);
  if (answer.body.code === 'BLOCKED') return alertBox(words.blocked);
  if (answer.status !== 200) return alertBox(fill(words.failed, { m: answer.body.message ?? '' }));
  shownCitizen = answer.body;
  renderCitizen();
  if (focus) showOnly('#citizen');
  await appointments?.load();
  desk?.render();
}

/** Shows one of the citizen and the case (hiding the results), and takes the focus to its heading. */
function showOnly(section: '#citizen' | '#case') {
  $('#results').hidden = true;
  $('#citizen').hidden = section !== '#citizen';
  $('#case').hidden = section !== '#case';
  $(`${section}-h`).focus();
}

function renderCitizen() {
  if (!shownCitizen) return;
  const { citizen, cases, contacts, repeat } = shownCitizen;
  const flag = $('#repeat');
  flag.hidden = !repeat;
  flag.textContent = repeat
    ? fill(words.repeat, { n: repeat.contacts, ticket: formatTicket(repeat.ticket) })
    : '';
  $('#citizen-h').textContent = `${words.citizen}: ${nameOf(citizen)}`;
  $('#citizen-state').textContent = `${citizen.provisional ? words.provisional : words.registered} · ${
    words.languages[citizen.language]
  }`;
  fillList('#identities', [
    ...citizen.identities
      .filter((i) => i.kind !== 'DOCUMENT')
      .map((i) => h('li', { text: `${i.kind === 'PHONE' ? words.phone : words.email}: ${i.value}` })),
    ...(citizen.document ? [h('li', { text: `${citizen.document.type}: ${citizen.document.number}` })] : []),
  ]);
  const caseItem = (c: Case) => {
    const button = h('button', { type: 'button', text: words.work });
    button.addEventListener('click', () => void openCaseView(c.ticket));
    return h(
      'li',
      { 'data-ticket': c.ticket },
      h('span', { class: 'ticket', text: formatTicket(c.ticket) }),
      ` · ${topicName(c.topicId)} · ${statusName(c.status)} · ${words.due} ${when(c.dueAt)}`,
      c.answer ? h('div', { text: `${words.answer}: ${c.answer}` }) : undefined,
      ' ',
      button,
    );
  };
  const open = cases.filter((c) => !isClosed(c.status));
  fillList('#open-cases', open.map(caseItem), words.noOpenCases);
  fillList('#closed-cases', cases.filter((c) => !open.includes(c)).map(caseItem), '–');
  fillList(
    '#timeline',
    contacts.map((c) =>
      h(
        'li',
        {
          text: `${when(c.at)} · ${words.channels[c.channel]}${c.ticket ? ` · ${formatTicket(c.ticket)}` : ''}`,
        },
        c.wrapUp
          ? h('div', {
              class: 'wrap-up',
              text: [
                c.wrapUp.topicId ? topicName(c.wrapUp.topicId) : '',
                c.wrapUp.note ? `«${c.wrapUp.note}»` : '',
                `(${fill(words.wrapUpBy, { who: c.wrapUp.by.id })})`,
              ]
                .filter(Boolean)
                .join(' '),
            })
          : undefined,
      ),
    ),
    words.noContacts,
  );
}

function fillTopics() {
  if (!catalogue) return;
  $('#open-topic').replaceChildren(
    ...catalogue.topics.map((t) => h('option', { value: t.id, text: t.name[language] ?? t.id })),
  );
  $('#open-channel').replaceChildren(
    ...OFFERED_CHANNELS.map((c) => h('option', { value: c, text: words.channels[c] })),
  );
}

async function openNewCase(event: SubmitEvent) {
  event.preventDefault();
  if (!shownCitizen) return;
  // During a contact the case is opened on it: the contact joins the case.
  const contact = desk?.contact();
  const answer = await session.api<Case & ApiError>('/cases', {
    method: 'POST',
    body: JSON.stringify({
      citizenId: shownCitizen.citizen.id,
      topicId: $<HTMLSelectElement>('#open-topic').value,
      channel: contact ? channelOf(contact) : $<HTMLSelectElement>('#open-channel').value,
      ...(contact ? { contactId: contact.contactId } : {}),
    }),
  });
  if (answer.status !== 201) return alertBox(fill(words.failed, { m: answer.body.message ?? '' }));
  say(words.saved);
  await openCaseView(answer.body.ticket);
}

// ---- the case

async function openCaseView(ticket: Ticket) {
  alertBox(undefined);
  const answer = await session.api<CaseView & ApiError>(`/cases/${ticket}`);
  if (answer.body.code === 'BLOCKED') return alertBox(words.blocked);
  if (answer.status !== 200) return alertBox(fill(words.failed, { m: answer.body.message ?? '' }));
  shownCase = { view: answer.body, etag: answer.headers.get('etag') ?? '' };
  renderCase();
  showOnly('#case');
}

/** Draws the case; the agent's text in the note and answer boxes is never touched. */
function renderCase() {
  if (!shownCase) return;
  const c = shownCase.view.case;
  $('#case-h').textContent = `${words.case} ${formatTicket(c.ticket)}`;
  const fact = (term: string, value: string, name: string) => [
    h('dt', { text: term }),
    h('dd', { text: value, 'data-fact': name }),
  ];
  $('#case-facts').replaceChildren(
    ...fact(words.status, statusName(c.status), 'status'),
    ...fact(words.topic, topicName(c.topicId), 'topic'),
    ...fact(words.due, when(c.dueAt), 'due'),
    ...fact(words.answer, c.answer ?? words.noAnswer, 'answer'),
  );
  appointments?.showCase(c.ticket);
  fillList(
    '#notes',
    shownCase.view.notes.map((n) => h('li', { text: `${when(n.at)} · ${n.author.id}: ${n.text}` })),
    words.noNotes,
  );
  fillList(
    '#audit',
    shownCase.view.audit.map((a) =>
      h('li', {
        text: `${when(a.at)} · ${a.from ? `${statusName(a.from)} → ` : ''}${statusName(a.to)} · ${a.actor.id}${
          a.reason ? ` · ${a.reason}` : ''
        }`,
      }),
    ),
  );
  const moves: { to: CaseStatus; label: string }[] = movesFrom(c.status).map((to) => ({
    to,
    label: to === 'COMMUNICATED' ? words.communicated : fill(words.moveTo, { s: statusName(to) }),
  }));
  // Reopening a closed case is for supervisors: the button is not there for anyone else.
  if (!movesFrom(c.status).length && user && SUPERVISING.has(user.role))
    moves.push({ to: 'OPEN', label: words.reopen });
  $('#moves').replaceChildren(
    ...moves.map((m) => {
      const button = h('button', { type: 'button', 'data-move': m.to, text: m.label });
      button.addEventListener('click', () => void move(m.to));
      return button;
    }),
  );
}

/** After a refused change: the case as it is now, the agent's text where it was. */
async function refreshAfterConflict() {
  if (!shownCase) return;
  const answer = await session.api<CaseView>(`/cases/${shownCase.view.case.ticket}`);
  if (answer.status === 200) {
    shownCase = { view: answer.body, etag: answer.headers.get('etag') ?? '' };
    renderCase();
  }
  alertBox(words.conflict);
}

async function move(to: CaseStatus) {
  if (!shownCase) return;
  alertBox(undefined);
  const answerText = $<HTMLTextAreaElement>('#move-answer').value.trim();
  const reason = $<HTMLInputElement>('#move-reason').value.trim();
  const answer = await session.api<Case & ApiError>(`/cases/${shownCase.view.case.ticket}/transitions`, {
    method: 'POST',
    headers: { 'if-match': shownCase.etag },
    body: JSON.stringify({
      to,
      ...(answerText && to === 'PENDING_COMMUNICATION' ? { answer: answerText } : {}),
      ...(reason ? { reason } : {}),
    }),
  });
  if (answer.body.code === 'VERSION_CONFLICT') return refreshAfterConflict();
  if (answer.status !== 200) return alertBox(fill(words.failed, { m: answer.body.message ?? '' }));
  $<HTMLTextAreaElement>('#move-answer').value = '';
  $<HTMLInputElement>('#move-reason').value = '';
  say(words.saved);
  await openCaseView(shownCase.view.case.ticket);
}

async function addNote(event: SubmitEvent) {
  event.preventDefault();
  if (!shownCase) return;
  const text = $<HTMLTextAreaElement>('#note-text').value.trim();
  if (!text) return;
  const answer = await session.api<CaseNote & ApiError>(`/cases/${shownCase.view.case.ticket}/notes`, {
    method: 'POST',
    body: JSON.stringify({ text }),
  });
  if (answer.status !== 201) return alertBox(fill(words.failed, { m: answer.body.message ?? '' }));
  $<HTMLTextAreaElement>('#note-text').value = '';
  say(words.saved);
  await openCaseView(shownCase.view.case.ticket);
}

// ---- language and boot

function applyLanguage() {
  words = AGENT_TEXT[language];
  document.documentElement.lang = language;
  document.title = `Ventanilla — ${words.title}`;
  document.querySelectorAll<HTMLElement>('[data-text]').forEach((el) => {
    el.textContent = String(words[el.dataset.text as keyof AgentWords] ?? el.textContent);
  });
  document.querySelectorAll<HTMLElement>('[data-kind]').forEach((el) => {
    el.textContent = words.kinds[el.dataset.kind as keyof AgentWords['kinds']];
  });
  document.querySelectorAll<HTMLElement>('[data-desk]').forEach((el) => {
    el.textContent = words.deskStatuses[el.dataset.desk as keyof AgentWords['deskStatuses']];
  });
  document.querySelectorAll<HTMLElement>('[data-language]').forEach((el) => {
    el.textContent = words.languages[el.dataset.language as AgentLanguage];
  });
  $('#lang').textContent = words.language;
  fillTopics();
  renderCitizen();
  renderCase();
  updateHint();
  desk?.render();
  appointments?.render();
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
  $<HTMLFormElement>('#search').addEventListener('submit', (e) => void search(e));
  $('#search-text').addEventListener('input', updateHint);
  $('#search-kind').addEventListener('change', updateHint);
  $<HTMLFormElement>('#register-form').addEventListener('submit', (e) => void register(e));
  $<HTMLFormElement>('#open-form').addEventListener('submit', (e) => void openNewCase(e));
  $<HTMLFormElement>('#note-form').addEventListener('submit', (e) => void addNote(e));
  appointments = mountAppointments({
    session: () => session,
    words: () => words,
    language: () => language,
    topicName,
    citizenId: () => shownCitizen?.citizen.id,
    say,
    alertBox,
  });
  $('#back').addEventListener('click', () => {
    if (shownCase) void openCitizen(shownCase.view.case.citizenId);
  });
  // "/" goes to the search box from anywhere but a text field.
  document.addEventListener('keydown', (e) => {
    const target = e.target as HTMLElement;
    if (e.key !== '/' || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)) return;
    e.preventDefault();
    $<HTMLInputElement>('#search-text').focus();
  });
  window.addEventListener('hashchange', () => {
    const phone = popOf(location.hash);
    if (phone && user) void pop(phone);
  });
  applyLanguage();
  await signInAndStart(session, { showLogin, start, messages: () => words });
}

void boot();
