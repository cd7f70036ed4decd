import { CITIZEN_TEXT, type CitizenLanguage, type CitizenWords } from './citizen-i18n';
import { $, h } from './dom';
import { fill } from './i18n';

/** What the citizens' API answers (shared/adapters/http/citizen-routes.ts). */
interface CaseView {
  ticket: string;
  topic: string;
  open: boolean;
  statusText: string;
  answer?: string;
  createdAt: string;
}
interface BookingView {
  id: string;
  code: string;
  status: string;
  active: boolean;
  officeId: string;
  topicId: string;
  start: string;
  words: { what: string; office: string; address: string; when: string; code: string; bring: string };
}
/** What a held booking waits for (its documents, its fee). */
interface Requirements {
  dueBy?: string;
  documents: { kind: string; name: string; status: string; reason?: string }[];
  fee?: { concept: string; amount: number; currency: string; status: string; payUrl?: string };
}
interface UploadOffer {
  method: 'POST' | 'PUT';
  url: string;
  fields: Record<string, string>;
  maxBytes: number;
}
interface Me {
  phone: string;
  name: string | null;
  cases: CaseView[];
  bookings: BookingView[];
}
interface Procedure {
  id: string;
  name: string;
  requirements: string[];
  checks: string[];
  link?: string;
  offices: { id: string; name: string; address: string }[];
}
interface Problem {
  code?: string;
  message?: string;
  field?: string;
  /** An agency's no: which check, and its reason. */
  check?: string;
  reason?: string;
  noDocument?: boolean;
}

const TOKEN = 'ventanilla.citizen';
let language: CitizenLanguage = savedLanguage();
let words: CitizenWords = CITIZEN_TEXT[language];
let api = '/api';
let me: Me | undefined;
let procedures: Procedure[] = [];
/** The requirements of each held booking, by its id. */
let waiting = new Map<string, Requirements>();
let timeZone: string | undefined;
/** The booking whose time is being changed, if one is. */
let moving: BookingView | undefined;

function savedLanguage(): CitizenLanguage {
  const saved = localStorage.getItem('ventanilla.lang');
  if (saved === 'es' || saved === 'en') return saved;
  return navigator.language.toLowerCase().startsWith('en') ? 'en' : 'es';
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
    readonly retryAfter?: number,
  ) {
    super(problem.message ?? `HTTP ${status}`);
  }
}

async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const token = sessionStorage.getItem(TOKEN);
  let res: Response;
  try {
    res = await fetch(`${api}${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch {
    throw new ApiError(0, { code: 'network' });
  }
  const answer = (await res.json().catch(() => ({}))) as T & Problem;
  if (!res.ok) {
    const retry = Number(res.headers.get('retry-after'));
    throw new ApiError(res.status, answer, Number.isFinite(retry) && retry > 0 ? retry : undefined);
  }
  return answer;
}

const say = (text: string) => {
  $('#error').textContent = '';
  $('#status').textContent = text;
};

/** Says what went wrong in the citizen's words; a session that ended goes back to the sign-in. */
function sayProblem(error: unknown) {
  $('#status').textContent = '';
  if (!(error instanceof ApiError)) throw error;
  const { field, message = '' } = error.problem;
  const code = error.problem.noDocument ? 'NO_DOCUMENT' : (error.problem.code ?? '');
  if (code === 'SIGNED_OUT') {
    sessionStorage.removeItem(TOKEN);
    showSignIn();
  }
  const known =
    code === 'network'
      ? words.errors.network
      : field === 'phone' && code === 'INVALID_INPUT'
        ? words.errors.phone
        : field === 'code' && code === 'INVALID_INPUT'
          ? words.errors.code
          : words.errors[code];
  // The agency's check in words: the one the chosen procedure names.
  const chosen = procedures.find((p) => p.id === $<HTMLSelectElement>('#procedure').value);
  const checkName = chosen?.checks.join(', ') || error.problem.check || '';
  $('#error').textContent = known
    ? fill(known, {
        minutes: Math.max(1, Math.ceil((error.retryAfter ?? 60) / 60)),
        check: checkName,
        reason: error.problem.reason ?? '',
      }).trim()
    : fill(words.errors.other!, { message });
}

function applyWords() {
  document.documentElement.lang = language;
  document.title = words.pageTitle;
  for (const el of document.querySelectorAll<HTMLElement>('[data-text]')) {
    const text = (words as unknown as Record<string, string>)[el.dataset.text!];
    if (typeof text === 'string') el.textContent = text;
  }
  const lang = $('#lang');
  lang.textContent = words.language;
  lang.setAttribute('lang', language === 'es' ? 'en' : 'es');
}

function showSignIn() {
  me = undefined;
  $('#home').hidden = true;
  $('#sign-in').hidden = false;
  $('#verify-form').hidden = true;
  $('#code-form').hidden = false;
}

const channelChosen = () =>
  document.querySelector<HTMLInputElement>('input[name="channel"]:checked')?.value ?? 'SMS';

async function askCode(event: Event) {
  event.preventDefault();
  const phone = $<HTMLInputElement>('#phone').value.trim();
  if (!phone) {
    $('#error').textContent = words.errors.phone!;
    $('#phone').focus();
    return;
  }
  say(words.sending);
  try {
    await call('POST', '/citizen/code', { phone, channel: channelChosen(), language });
    $('#verify-form').hidden = false;
    say(fill(words.sent, { channel: channelChosen() === 'SMS' ? 'SMS' : 'WhatsApp' }));
    $('#code').focus();
  } catch (error) {
    sayProblem(error);
  }
}

async function enter(event: Event) {
  event.preventDefault();
  const code = $<HTMLInputElement>('#code').value.replace(/\s/g, '');
  if (!/^\d{6}$/.test(code)) {
    $('#error').textContent = words.errors.code!;
    $('#code').focus();
    return;
  }
  try {
    const session = await call<{ token: string }>('POST', '/citizen/session', {
      phone: $<HTMLInputElement>('#phone').value.trim(),
      code,
    });
    sessionStorage.setItem(TOKEN, session.token);
    $<HTMLInputElement>('#code').value = '';
    await loadHome();
    $('#cases-h').setAttribute('tabindex', '-1');
    $('#cases-h').focus();
  } catch (error) {
    sayProblem(error);
    $<HTMLInputElement>('#code').select();
  }
}

const dateOf = (iso: string) =>
  new Intl.DateTimeFormat(language === 'es' ? 'es-PA' : 'en-US', { dateStyle: 'long' }).format(new Date(iso));
const slotTime = (iso: string) =>
  new Intl.DateTimeFormat(language === 'es' ? 'es-PA' : 'en-US', {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    hour: 'numeric',
    minute: '2-digit',
    ...(timeZone ? { timeZone } : {}),
  }).format(new Date(iso));

function drawCases(cases: CaseView[]) {
  const items = [...cases]
    .sort((a, b) => Number(b.open) - Number(a.open) || b.createdAt.localeCompare(a.createdAt))
    .map((c) =>
      h(
        'li',
        { class: 'card' },
        h('h3', { text: `${c.topic} · ${fill(words.ticket, { ticket: c.ticket })}` }),
        h('p', { text: c.statusText }),
        c.answer
          ? h('p', { class: 'answer' }, h('strong', { text: `${words.answer}: ` }), c.answer)
          : undefined,
        h('p', { class: 'hint', text: fill(words.opened, { date: dateOf(c.createdAt) }) }),
      ),
    );
  $('#cases').replaceChildren(...(items.length ? items : [h('li', { class: 'empty', text: words.noCases })]));
}

function drawBookings(bookings: BookingView[]) {
  const shown = bookings
    .filter((b) => b.active || b.status === 'cancelled')
    .sort((a, b) => Number(b.active) - Number(a.active) || a.start.localeCompare(b.start));
  const items = shown.map((b) =>
    h(
      'li',
      { class: b.active ? 'card' : 'card past' },
      h('h3', { text: b.words.what }),
      h('p', { text: `${b.words.when} · ${b.words.office}` }),
      b.words.address ? h('p', { class: 'hint', text: b.words.address }) : undefined,
      h('p', {}, h('strong', { text: words.statuses[b.status] ?? b.status })),
      b.active ? h('p', { text: fill(words.bookingCode, { code: b.code }) }) : undefined,
      b.active && b.words.bring ? h('p', { text: fill(words.bring, { bring: b.words.bring }) }) : undefined,
      waiting.has(b.id) ? drawRequirements(b, waiting.get(b.id)!) : undefined,
      b.active
        ? h(
            'div',
            { class: 'actions' },
            // A booking still waiting for its documents and fee keeps its time (cancel and book again).
            b.status === 'held'
              ? undefined
              : action(words.move, fill(words.moveOf, { what: b.words.what }), () => startMove(b)),
            action(words.cancel, fill(words.cancelOf, { what: b.words.what }), () => cancel(b)),
          )
        : undefined,
    ),
  );
  $('#bookings').replaceChildren(
    ...(items.length ? items : [h('li', { class: 'empty', text: words.noBookings })]),
  );
}

const money = (amount: number, currency: string) =>
  new Intl.NumberFormat(language === 'es' ? 'es-PA' : 'en-US', { style: 'currency', currency }).format(
    amount / 100,
  );

/** A held booking's documents (each sent from here) and fee (paid on the gateway's page). */
function drawRequirements(b: BookingView, r: Requirements): HTMLElement {
  const list = h(
    'ul',
    { class: 'documents' },
    ...r.documents.map((d) => {
      const item = h(
        'li',
        {},
        h('strong', { text: `${d.name}: ` }),
        words.docStatus[d.status] ?? d.status,
        d.reason
          ? h('p', { class: 'reason', text: fill(words.rejectedBecause, { reason: d.reason }) })
          : undefined,
      );
      if (d.status === 'awaiting-upload' || d.status === 'rejected') {
        const id = `file-${b.id}-${d.kind}`;
        const input = h('input', {
          id,
          type: 'file',
          accept: '.pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png',
        });
        const button = h('button', { type: 'button', text: fill(words.send, { name: d.name }) });
        button.addEventListener('click', () => void upload(b, d, input));
        item.append(h('label', { for: id, text: fill(words.chooseFile, { name: d.name }) }), input, button);
      }
      return item;
    }),
  );
  const fee = r.fee;
  return h(
    'div',
    { class: 'requirements' },
    h('p', {}, h('strong', { text: words.pending })),
    r.dueBy ? h('p', { text: fill(words.pendingHelp, { due: slotTime(r.dueBy) }) }) : undefined,
    r.documents.length ? h('h4', { text: words.documents }) : undefined,
    r.documents.length ? list : undefined,
    fee
      ? h(
          'p',
          {},
          fill(words.fee, { concept: fee.concept, amount: money(fee.amount, fee.currency) }),
          ' — ',
          words.feeStatus[fee.status] ?? fee.status,
        )
      : undefined,
    fee?.payUrl
      ? h('a', {
          class: 'button',
          href: fee.payUrl,
          text: fill(words.pay, { amount: money(fee.amount, fee.currency) }),
        })
      : undefined,
  );
}

/** Sends one document: an upload address from the API, the file to it, then the API checks its bytes. */
async function upload(b: BookingView, d: { kind: string; name: string }, input: HTMLInputElement) {
  const file = input.files?.[0];
  if (!file) {
    $('#error').textContent = words.noFile;
    input.focus();
    return;
  }
  if (file.size > 5 * 1024 * 1024) {
    $('#error').textContent = words.fileTooLarge;
    input.focus();
    return;
  }
  say(fill(words.sendingFile, { name: d.name }));
  try {
    const base = `/citizen/bookings/${encodeURIComponent(b.id)}/documents/${encodeURIComponent(d.kind)}`;
    const { upload: offer } = await call<{ upload: UploadOffer }>('POST', base, {
      contentType: ['application/pdf', 'image/jpeg', 'image/png'].includes(file.type)
        ? file.type
        : 'application/pdf',
    });
    let sent: Response;
    if (offer.method === 'PUT')
      sent = await fetch(offer.url, { method: 'PUT', headers: offer.fields, body: file });
    else {
      const form = new FormData();
      for (const [name, value] of Object.entries(offer.fields)) form.append(name, value);
      form.append('file', file);
      sent = await fetch(offer.url, { method: 'POST', body: form });
    }
    if (!sent.ok) throw new ApiError(sent.status, { code: sent.status === 413 ? 'TOO_LARGE' : 'network' });
    await call('POST', `${base}/sent`, {});
    await loadHome();
    say(fill(words.fileSent, { name: d.name }));
  } catch (error) {
    if (error instanceof ApiError && error.problem.code === 'TOO_LARGE')
      $('#error').textContent = words.fileTooLarge;
    else sayProblem(error);
  }
}

function action(text: string, label: string, onClick: () => void) {
  const button = h('button', { type: 'button', 'aria-label': label, text });
  button.addEventListener('click', onClick);
  return button;
}

function drawProcedures() {
  const bookable = procedures.filter((p) => p.offices.length > 0);
  const select = $<HTMLSelectElement>('#procedure');
  const chosen = select.value;
  select.replaceChildren(...bookable.map((p) => h('option', { value: p.id, text: p.name })));
  if (bookable.some((p) => p.id === chosen)) select.value = chosen;
  drawOffices();
  $('#procedures').replaceChildren(
    ...procedures.map((p) =>
      h(
        'details',
        {},
        h('summary', { text: p.name }),
        p.requirements.length
          ? h('ul', {}, ...p.requirements.map((r) => h('li', { text: r })))
          : h('p', { text: words.nothingNeeded }),
        p.checks.length ? h('p', { text: fill(words.checked, { checks: p.checks.join(', ') }) }) : undefined,
        p.link ? h('p', {}, h('a', { href: p.link, text: words.more })) : undefined,
      ),
    ),
  );
}

function drawOffices() {
  const procedure = procedures.find((p) => p.id === $<HTMLSelectElement>('#procedure').value);
  const select = $<HTMLSelectElement>('#office');
  const chosen = select.value;
  select.replaceChildren(
    ...(procedure?.offices ?? []).map((o) => h('option', { value: o.id, text: `${o.name} — ${o.address}` })),
  );
  if (procedure?.offices.some((o) => o.id === chosen)) select.value = chosen;
}

async function loadHome() {
  say(words.loading);
  const [mine, catalogue] = await Promise.all([
    call<Me>('GET', `/citizen/me?lang=${language}`),
    call<{ procedures: Procedure[]; timeZone: string | null }>('GET', `/citizen/procedures?lang=${language}`),
  ]);
  me = mine;
  procedures = catalogue.procedures;
  // What each held booking still waits for.
  const held = me.bookings.filter((b) => b.status === 'held');
  waiting = new Map(
    await Promise.all(
      held.map(
        async (b) =>
          [
            b.id,
            await call<Requirements>(
              'GET',
              `/citizen/bookings/${encodeURIComponent(b.id)}/requirements?lang=${language}`,
            ),
          ] as const,
      ),
    ),
  );
  timeZone = catalogue.timeZone ?? undefined;
  $('#sign-in').hidden = true;
  $('#home').hidden = false;
  $('#who').textContent = me.name
    ? fill(words.hello, { name: me.name, phone: me.phone })
    : fill(words.signedInAs, { phone: me.phone });
  drawCases(me.cases);
  drawBookings(me.bookings);
  drawProcedures();
  say('');
}

async function findSlots(event?: Event) {
  event?.preventDefault();
  const topic = $<HTMLSelectElement>('#procedure').value;
  const office = $<HTMLSelectElement>('#office').value;
  if (!topic || !office) return;
  try {
    const { slots } = await call<{ slots: { start: string; free: number }[] }>(
      'GET',
      `/citizen/slots?office=${encodeURIComponent(office)}&topic=${encodeURIComponent(topic)}`,
    );
    const list = $('#slots');
    list.replaceChildren(
      ...slots.map((s, i) =>
        h(
          'label',
          { class: 'choice' },
          h('input', { type: 'radio', name: 'slot', value: s.start, ...(i === 0 ? { checked: true } : {}) }),
          ` ${slotTime(s.start)}`,
        ),
      ),
    );
    $('#book-form').hidden = slots.length === 0;
    say(slots.length ? '' : words.noSlots);
    if (slots.length) list.querySelector<HTMLInputElement>('input')!.focus();
  } catch (error) {
    sayProblem(error);
  }
}

function startMove(b: BookingView) {
  moving = b;
  $<HTMLSelectElement>('#procedure').value = b.topicId;
  drawOffices();
  $<HTMLSelectElement>('#office').value = b.officeId;
  $('#slots-legend').textContent = fill(words.chooseNewSlot, { what: b.words.what });
  void findSlots();
}

function newKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `web-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

async function bookSlot(event: Event) {
  event.preventDefault();
  const start = document.querySelector<HTMLInputElement>('input[name="slot"]:checked')?.value;
  if (!start) {
    $('#error').textContent = words.errors.choose!;
    return;
  }
  try {
    const booking = moving
      ? await call<BookingView>('POST', `/citizen/bookings/${encodeURIComponent(moving.id)}/reschedule`, {
          start,
        })
      : await call<BookingView>('POST', `/citizen/bookings?lang=${language}`, {
          key: newKey(),
          officeId: $<HTMLSelectElement>('#office').value,
          topicId: $<HTMLSelectElement>('#procedure').value,
          start,
        });
    const done = moving
      ? fill(words.moved, { when: booking.words.when })
      : fill(words.booked, { what: booking.words.what, when: booking.words.when, code: booking.code });
    moving = undefined;
    $('#book-form').hidden = true;
    $('#slots-legend').textContent = words.chooseSlot;
    await loadHome();
    say(done);
    $('#bookings-h').setAttribute('tabindex', '-1');
    $('#bookings-h').focus();
  } catch (error) {
    sayProblem(error);
  }
}

async function cancel(b: BookingView) {
  if (!window.confirm(fill(words.confirmCancel, { what: b.words.what, when: b.words.when }))) return;
  try {
    await call('POST', `/citizen/bookings/${encodeURIComponent(b.id)}/cancel`, {});
    await loadHome();
    say(words.cancelled);
  } catch (error) {
    sayProblem(error);
  }
}

async function signOut() {
  try {
    await call('POST', '/citizen/session/end', {});
  } catch {
    // Signed out here whatever the answer: the token is forgotten, and it ends by itself.
  }
  sessionStorage.removeItem(TOKEN);
  showSignIn();
  say(words.signedOut);
  $('#phone').focus();
}

async function start() {
  applyWords();
  $('#code-form').addEventListener('submit', (e) => void askCode(e));
  $('#verify-form').addEventListener('submit', (e) => void enter(e));
  $('#again').addEventListener('click', () => {
    $('#verify-form').hidden = true;
    $('#phone').focus();
  });
  $('#slots-form').addEventListener('submit', (e) => {
    moving = undefined;
    $('#slots-legend').textContent = words.chooseSlot;
    void findSlots(e);
  });
  $('#procedure').addEventListener('change', () => {
    drawOffices();
    $('#book-form').hidden = true;
  });
  $('#book-form').addEventListener('submit', (e) => void bookSlot(e));
  $('#sign-out').addEventListener('click', () => void signOut());
  $('#lang').addEventListener('click', () => {
    language = language === 'es' ? 'en' : 'es';
    words = CITIZEN_TEXT[language];
    localStorage.setItem('ventanilla.lang', language);
    applyWords();
    $('#error').textContent = '';
    $('#status').textContent = '';
    if (me) void loadHome().catch(sayProblem);
  });
  try {
    const config = (await (await fetch('config.json')).json()) as { api?: string };
    if (config.api) api = config.api.replace(/\/$/, '');
  } catch {
    // The page's own folder has no config: the API is beside it, as locally.
  }
  if (sessionStorage.getItem(TOKEN)) await loadHome().catch(sayProblem);
}

void start();
