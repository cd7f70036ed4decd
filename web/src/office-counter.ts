import { OFFICE_TEXT } from './office-counter-i18n';
import { $, fillList, h } from './dom';
import { fill } from './i18n';
import { officePage } from './office-page';

interface ApiError {
  readonly code?: string;
  readonly message?: string;
  readonly field?: string;
}
interface OfficeView {
  readonly id: string;
  readonly name: Record<string, string>;
}
interface BookingView {
  readonly id: string;
  readonly queueNumber?: string;
  readonly desk?: string;
  readonly slot: { start: string };
  readonly words: { what: string; when: string };
}
interface Called {
  readonly queueNumber: string;
  readonly desk: string;
  readonly calledAt: string;
}
type Figures = Record<string, number | string>;

/** The call display: the page with ?display=<office> shows the called numbers only, refreshed every 3 s. */
const displayOffice = new URLSearchParams(location.search).get('display');
let offices: readonly OfficeView[] = [];
let timeZone: string | undefined;
let figures: Figures | undefined;
let called: readonly Called[] = [];
let lastCalled: BookingView | undefined;
let refresh: ReturnType<typeof setInterval> | undefined;

const officeId = () => displayOffice ?? $<HTMLSelectElement>('#office-id').value;
const timeOf = (iso: string) =>
  new Intl.DateTimeFormat(page.language() === 'es' ? 'es-PA' : 'en-US', {
    timeStyle: 'short',
    ...(timeZone ? { timeZone } : {}),
  }).format(new Date(iso));

const page = officePage({
  content: '#office',
  text: OFFICE_TEXT,
  enter: async (user) => {
    const answer = await page.api<{ offices?: OfficeView[]; timeZone?: string } & ApiError>(
      '/appointments/offices',
    );
    if (answer.status === 403) return 'forbidden';
    if (answer.status !== 200) return false;
    offices = answer.body.offices ?? [];
    timeZone = answer.body.timeZone;
    fillOffices();
    // Closing a day is for supervisors and administrators (the API refuses anyone else too).
    $('#closure-card').hidden = !['supervisor', 'admin'].includes(user.role);
    if (displayOffice) {
      document.body.classList.add('display-mode');
      await showCalled();
      refresh ??= setInterval(() => void showCalled(), 3000);
    } else await showDay();
    return true;
  },
  render: () => {
    page.named('kind', page.words().kinds);
    fillOffices();
    renderFigures();
    renderCalled();
  },
  wire: () => {
    $<HTMLFormElement>('#choose').addEventListener('submit', (e) => {
      e.preventDefault();
      void showDay();
    });
    $<HTMLFormElement>('#checkin').addEventListener('submit', (e) => void checkIn(e));
    $<HTMLFormElement>('#call').addEventListener('submit', (e) => void callNext(e));
    $('#served').addEventListener('click', () => void served());
    $<HTMLFormElement>('#closure').addEventListener('submit', (e) => void closeDay(e));
    $('#office-id').addEventListener('change', () => void showDay());
  },
});
const { say, alertBox, failed } = page;

function fillOffices() {
  const select = $<HTMLSelectElement>('#office-id');
  const kept = select.value;
  select.replaceChildren(
    ...offices.map((o) => h('option', { value: o.id, text: o.name[page.language()] ?? o.id })),
  );
  if (kept) select.value = kept;
  const link = $<HTMLAnchorElement>('#display-link');
  link.href = `?display=${encodeURIComponent(officeId())}`;
  link.target = '_blank';
  if (displayOffice) {
    const office = offices.find((o) => o.id === displayOffice);
    $('#display-h').textContent = `${page.words().calledList} · ${office?.name[page.language()] ?? ''}`;
  }
}

async function showDay() {
  alertBox(undefined);
  const date = $<HTMLInputElement>('#office-date').value;
  const answer = await page.api<Figures & ApiError>(
    `/appointments/offices/${encodeURIComponent(officeId())}/day${date ? `?date=${date}` : ''}`,
  );
  if (answer.status !== 200) return alertBox(failed(answer));
  figures = answer.body;
  if (!date) $<HTMLInputElement>('#office-date').value = String(figures.date);
  fillOffices();
  renderFigures();
  await showCalled();
}

function renderFigures() {
  if (!figures) return;
  const w = page.words().figures;
  const value = (key: keyof typeof w) =>
    key === 'bookingRate'
      ? `${Math.round(Number(figures![key]) * 100)} %`
      : new Intl.NumberFormat(page.language()).format(Number(figures![key]));
  $('#figures').replaceChildren(
    ...(Object.keys(w) as (keyof typeof w)[]).flatMap((key) => [
      h('dt', { text: w[key] }),
      h('dd', { text: value(key), 'data-figure': key }),
    ]),
  );
}

async function showCalled() {
  const answer = await page.api<{ called?: Called[] } & ApiError>(
    `/appointments/offices/${encodeURIComponent(officeId())}/display`,
  );
  if (answer.status !== 200) return alertBox(failed(answer));
  called = answer.body.called ?? [];
  renderCalled();
}

function renderCalled() {
  const w = page.words();
  fillList(
    '#called',
    called.map((c) =>
      h(
        'li',
        {},
        h('span', { class: 'number', text: c.queueNumber }),
        h('span', { text: fill(w.deskShort, { desk: c.desk }) }),
      ),
    ),
    w.noneCalled,
  );
  const box = $('#called-now');
  box.hidden = !lastCalled;
  if (lastCalled)
    box.textContent = fill(w.calledNow, {
      n: lastCalled.queueNumber ?? '',
      desk: lastCalled.desk ?? '',
      what: lastCalled.words.what,
    });
  $('#served').hidden = !lastCalled;
}

async function checkIn(event: SubmitEvent) {
  event.preventDefault();
  alertBox(undefined);
  const kind = $<HTMLSelectElement>('#checkin-kind').value;
  const input = $<HTMLInputElement>('#checkin-value');
  const value = input.value.trim();
  if (!value) {
    alertBox(page.words().needValue);
    return input.focus();
  }
  const answer = await page.api<BookingView & ApiError>(
    `/appointments/offices/${encodeURIComponent(officeId())}/checkin`,
    {
      method: 'POST',
      body: JSON.stringify(kind === 'code' ? { code: value } : { document: { number: value } }),
    },
  );
  if (answer.status !== 200) {
    alertBox(failed(answer));
    return input.focus();
  }
  const ticket = $('#ticket');
  ticket.hidden = false;
  ticket.textContent = fill(page.words().ticketIs, {
    n: answer.body.queueNumber ?? '',
    what: answer.body.words.what,
    time: timeOf(answer.body.slot.start),
  });
  say(ticket.textContent);
  input.value = '';
  await showDay();
}

async function callNext(event: SubmitEvent) {
  event.preventDefault();
  alertBox(undefined);
  const desk = $<HTMLInputElement>('#desk');
  if (!desk.value.trim()) {
    alertBox(page.words().needDesk);
    return desk.focus();
  }
  const answer = await page.api<BookingView & ApiError>(
    `/appointments/offices/${encodeURIComponent(officeId())}/call-next`,
    { method: 'POST', body: JSON.stringify({ desk: desk.value.trim() }) },
  );
  if (answer.status === 404) return say(page.words().nobodyWaiting);
  if (answer.status !== 200) return alertBox(failed(answer));
  lastCalled = answer.body;
  renderCalled();
  say($('#called-now').textContent ?? '');
  await showCalled();
}

async function served() {
  if (!lastCalled) return;
  const answer = await page.api<BookingView & ApiError>(
    `/appointments/${encodeURIComponent(lastCalled.id)}/served`,
    { method: 'POST', body: '{}' },
  );
  if (answer.status !== 200) return alertBox(failed(answer));
  say(fill(page.words().servedDone, { n: lastCalled.queueNumber ?? '' }));
  lastCalled = undefined;
  renderCalled();
  $<HTMLInputElement>('#desk').focus();
  await showDay();
}

async function closeDay(event: SubmitEvent) {
  event.preventDefault();
  alertBox(undefined);
  const value = (id: string) => $<HTMLInputElement>(id).value.trim();
  const answer = await page.api<{ slotsClosed?: number; cancelled?: number } & ApiError>(
    `/appointments/offices/${encodeURIComponent(officeId())}/closures`,
    {
      method: 'POST',
      body: JSON.stringify({
        date: value('#closure-date'),
        reason: value('#closure-reason'),
        ...(value('#closure-from') ? { from: value('#closure-from') } : {}),
        ...(value('#closure-to') ? { to: value('#closure-to') } : {}),
      }),
    },
  );
  if (answer.status !== 200) {
    alertBox(failed(answer));
    const field = answer.body.field;
    const input = field && document.getElementById(`closure-${field}`);
    if (input) input.focus();
    return;
  }
  say(fill(page.words().closed, { slots: answer.body.slotsClosed ?? 0, n: answer.body.cancelled ?? 0 }));
  await showDay();
}

void page.boot();
