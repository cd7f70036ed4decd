import type { Booking } from '../../shared/domain/appointments';
import type { StaffSession } from './auth';
import type { AgentWords } from './agent-i18n';
import { $, fillList, h } from './dom';
import { fill } from './i18n';

interface OfficeView {
  readonly id: string;
  readonly name: Record<string, string>;
  readonly services: readonly { topic: string }[];
}
type BookingView = Booking & { readonly words: { what: string; office: string; when: string } };
interface ApiError {
  readonly code?: string;
  readonly message?: string;
}

/**
 * The citizen's appointments in the agent panel: their bookings (with their status and code), booking one for
 * them at an office's free time (the confirmation by SMS or WhatsApp, or none), moving one to another time,
 * cancelling one. What the panel shows is the API's answer; a refusal is said in the panel's words.
 */
export function mountAppointments(deps: {
  readonly session: () => StaffSession;
  readonly words: () => AgentWords;
  readonly language: () => 'es' | 'en';
  readonly topicName: (id: string) => string;
  readonly citizenId: () => string | undefined;
  readonly say: (message: string) => void;
  readonly alertBox: (message: string | undefined) => void;
}) {
  let offices: readonly OfficeView[] | undefined;
  let timeZone: string | undefined;
  let bookings: readonly BookingView[] = [];
  let moving: BookingView | undefined;
  /** The latest request for free times: an older answer arriving later is dropped. */
  let slotsAsked = 0;
  const api = <T>(path: string, init?: RequestInit) => deps.session().api<T & ApiError>(path, init);
  const failed = (answer: { body: ApiError }) =>
    deps.alertBox(fill(deps.words().failed, { m: answer.body.message ?? '' }));

  async function load() {
    const citizenId = deps.citizenId();
    if (!citizenId) return;
    if (!offices) {
      const answer = await api<{ offices?: OfficeView[]; timeZone?: string }>('/appointments/offices');
      // A deployment without appointments: the section stays empty and the form hidden.
      offices = answer.status === 200 ? (answer.body.offices ?? []) : [];
      timeZone = answer.body.timeZone;
      $('#book-form').hidden = offices.length === 0;
      fillTopics();
    }
    const answer = await api<{ appointments?: BookingView[] }>(
      `/citizens/${encodeURIComponent(citizenId)}/appointments`,
    );
    bookings = answer.status === 200 ? (answer.body.appointments ?? []) : [];
    render();
  }

  function fillTopics() {
    const topics = [...new Set((offices ?? []).flatMap((o) => o.services.map((s) => s.topic)))];
    const select = $<HTMLSelectElement>('#book-topic');
    const kept = select.value;
    select.replaceChildren(...topics.map((t) => h('option', { value: t, text: deps.topicName(t) })));
    if (kept) select.value = kept;
    fillOffices();
  }

  /** What the agencies say of the citizen for the procedure chosen, when it needs a check. */
  async function showEligibility() {
    const line = $('#book-eligibility');
    const citizenId = deps.citizenId();
    const topic = $<HTMLSelectElement>('#book-topic').value;
    line.textContent = '';
    if (!citizenId || !topic) return;
    const answer = await api<{
      noDocument?: boolean;
      checks?: { check: string; name: Record<string, string>; outcome: string; reason?: string }[];
    }>(`/citizens/${encodeURIComponent(citizenId)}/eligibility?${new URLSearchParams({ topic }).toString()}`);
    if (answer.status !== 200 || $<HTMLSelectElement>('#book-topic').value !== topic) return;
    const w = deps.words();
    line.textContent = (answer.body.checks ?? [])
      .map((c) =>
        fill(w.eligibility[answer.body.noDocument ? 'noDocument' : c.outcome] ?? c.outcome, {
          check: c.name[deps.language()] ?? c.check,
          reason: c.reason ?? '',
        }),
      )
      .join(' ');
  }

  function fillOffices() {
    void showEligibility();
    const topic = $<HTMLSelectElement>('#book-topic').value;
    const select = $<HTMLSelectElement>('#book-office');
    const kept = select.value;
    const here = (offices ?? []).filter((o) => o.services.some((s) => s.topic === topic));
    select.replaceChildren(
      ...here.map((o) => h('option', { value: o.id, text: o.name[deps.language()] ?? o.id })),
    );
    if (kept && here.some((o) => o.id === kept)) select.value = kept;
    void fillSlots();
  }

  async function fillSlots() {
    const topic = $<HTMLSelectElement>('#book-topic').value;
    const office = $<HTMLSelectElement>('#book-office').value;
    const select = $<HTMLSelectElement>('#book-slot');
    if (!topic || !office) {
      slotsAsked++;
      select.removeAttribute('aria-busy');
      select.replaceChildren(h('option', { value: '', text: deps.words().noOffice }));
      return;
    }
    const asked = ++slotsAsked;
    // Busy until the times of this procedure and office are in: a screen reader waits, and so does a test.
    select.setAttribute('aria-busy', 'true');
    const answer = await api<{ slots?: { start: string; free: number }[] }>(
      `/appointments/slots?${new URLSearchParams({ office, topic, days: '14' }).toString()}`,
    );
    if (asked !== slotsAsked) return;
    select.removeAttribute('aria-busy');
    const chosen = select.value;
    const slots = answer.status === 200 ? (answer.body.slots ?? []) : [];
    const format = new Intl.DateTimeFormat(deps.language() === 'es' ? 'es-PA' : 'en-US', {
      dateStyle: 'full',
      timeStyle: 'short',
      ...(timeZone ? { timeZone } : {}),
    });
    select.replaceChildren(
      ...(slots.length
        ? slots.map((s) =>
            h('option', {
              value: s.start,
              text: `${format.format(new Date(s.start))} (${fill(deps.words().freeCount, { n: s.free })})`,
            }),
          )
        : [h('option', { value: '', text: deps.words().noSlots })]),
    );
    // The time chosen stays chosen while it is still free.
    if (slots.some((s) => s.start === chosen)) select.value = chosen;
  }

  function render() {
    const w = deps.words();
    document.querySelectorAll<HTMLElement>('[data-notify]').forEach((el) => {
      el.textContent = w.notify[el.dataset.notify as keyof AgentWords['notify']];
    });
    fillList(
      '#appointments',
      bookings.map((b) => {
        const active = ['held', 'booked', 'reminded'].includes(b.status);
        const change = h('button', { type: 'button', text: w.change, 'aria-label': `${w.change} ${b.code}` });
        change.addEventListener('click', () => startMove(b));
        const cancel = h('button', {
          type: 'button',
          text: w.cancelAppointment,
          'aria-label': `${w.cancelAppointment} ${b.code}`,
        });
        cancel.addEventListener('click', () => void cancelBooking(b));
        // A held booking of a procedure with documents or a fee: what it waits for, reviewed here.
        const waiting =
          b.status === 'held' && b.ticket
            ? h(
                'details',
                { class: 'requirements' },
                h('summary', { text: fill(w.requirements, { code: b.code }) }),
              )
            : undefined;
        waiting?.addEventListener('toggle', () => {
          if ((waiting as HTMLDetailsElement).open) void showRequirements(b, waiting);
        });
        return h(
          'li',
          { 'data-booking': b.id },
          `${b.words.what} · ${b.words.when} · ${b.words.office} · ${w.bookingStatuses[b.status]} · ${w.codeLabel} `,
          h('span', { class: 'ticket', text: b.code }),
          active && b.status !== 'held' ? ' ' : undefined,
          active && b.status !== 'held' ? change : undefined,
          active ? ' ' : undefined,
          active ? cancel : undefined,
          waiting,
        );
      }),
      w.noAppointments,
    );
    const mode = $('#book-mode');
    mode.hidden = !moving;
    mode.textContent = moving ? fill(w.moving, { code: moving.code }) : '';
    $('#book-submit').textContent = moving ? w.moveToTime : w.book;
    $('#book-cancel-move').hidden = !moving;
    $<HTMLSelectElement>('#book-topic').disabled = !!moving;
    $<HTMLSelectElement>('#book-office').disabled = !!moving;
    $<HTMLSelectElement>('#book-notify').disabled = !!moving;
  }

  interface Requirements {
    documents: { kind: string; name: string; status: string; reason?: string; link?: string }[];
    fee?: { amount: number; currency: string; status: string };
  }

  /** A held booking's documents (each read by its link, accepted or rejected with a reason) and fee. */
  async function showRequirements(b: BookingView, box: HTMLElement) {
    const w = deps.words();
    const answer = await api<Requirements>(
      `/appointments/${encodeURIComponent(b.id)}/requirements?lang=${deps.language()}`,
    );
    if (answer.status !== 200) return failed(answer);
    const r = answer.body;
    const money = (amount: number, currency: string) =>
      new Intl.NumberFormat(deps.language() === 'es' ? 'es-PA' : 'en-US', {
        style: 'currency',
        currency,
      }).format(amount / 100);
    const items = r.documents.map((d) => {
      const li = h('li', { 'data-document': d.kind }, `${d.name}: ${w.docStatuses[d.status] ?? d.status}`);
      if (d.reason) li.append(` (${d.reason})`);
      if (d.link)
        li.append(
          ' ',
          h('a', {
            href: d.link,
            target: '_blank',
            rel: 'noopener',
            text: fill(w.viewDocument, { name: d.name }),
          }),
        );
      if (d.status === 'in-review') {
        const reasonId = `reject-${b.id}-${d.kind}`;
        const reason = h('input', { id: reasonId, maxlength: '300', autocomplete: 'off' });
        const accept = h('button', { type: 'button', text: fill(w.acceptDocument, { name: d.name }) });
        const reject = h('button', { type: 'button', text: fill(w.rejectDocument, { name: d.name }) });
        accept.addEventListener('click', () => void review(b, box, d, 'accept'));
        reject.addEventListener('click', () => void review(b, box, d, 'reject', reason.value));
        li.append(
          ' ',
          accept,
          h('label', { for: reasonId, text: fill(w.rejectReason, { name: d.name }) }),
          reason,
          reject,
        );
      }
      return li;
    });
    box.querySelector('.requirements-body')?.remove();
    box.append(
      h(
        'div',
        { class: 'requirements-body' },
        h('ul', {}, ...items),
        r.fee
          ? h('p', {
              text: fill(w.feeLine, {
                amount: money(r.fee.amount, r.fee.currency),
                status: w.feeStatuses[r.fee.status] ?? r.fee.status,
              }),
            })
          : undefined,
      ),
    );
  }

  async function review(
    b: BookingView,
    box: HTMLElement,
    d: { kind: string; name: string },
    decision: 'accept' | 'reject',
    reason?: string,
  ) {
    deps.alertBox(undefined);
    const answer = await api<Requirements & { status: string }>(
      `/appointments/${encodeURIComponent(b.id)}/documents/${encodeURIComponent(d.kind)}/review?lang=${deps.language()}`,
      { method: 'POST', body: JSON.stringify({ decision, ...(reason ? { reason } : {}) }) },
    );
    if (answer.status !== 200) return failed(answer);
    const w = deps.words();
    deps.say(
      fill(w.reviewed, {
        name: d.name,
        status: w.docStatuses[decision === 'accept' ? 'accepted' : 'rejected']!,
      }),
    );
    // The last requirement met confirms the booking: the list shows it so.
    if (answer.body.status !== 'held') return load();
    await showRequirements(b, box);
  }

  function startMove(b: BookingView) {
    moving = b;
    $<HTMLSelectElement>('#book-topic').value = b.slot.topicId;
    fillOffices();
    $<HTMLSelectElement>('#book-office').value = b.slot.officeId;
    void fillSlots();
    render();
    $<HTMLSelectElement>('#book-slot').focus();
  }

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    deps.alertBox(undefined);
    const citizenId = deps.citizenId();
    const start = $<HTMLSelectElement>('#book-slot').value;
    if (!citizenId || !start) return;
    if (moving) {
      const answer = await api<BookingView>(`/appointments/${encodeURIComponent(moving.id)}/reschedule`, {
        method: 'POST',
        body: JSON.stringify({ start }),
      });
      if (answer.status !== 200) return failed(answer);
      deps.say(fill(deps.words().moved, { code: answer.body.code }));
      moving = undefined;
    } else {
      const notify = $<HTMLSelectElement>('#book-notify').value;
      const answer = await api<BookingView>('/appointments', {
        method: 'POST',
        body: JSON.stringify({
          key: `panel-${crypto.randomUUID()}`,
          citizenId,
          officeId: $<HTMLSelectElement>('#book-office').value,
          topicId: $<HTMLSelectElement>('#book-topic').value,
          start,
          ...(notify ? { notify } : {}),
        }),
      });
      if (answer.status !== 201) return failed(answer);
      deps.say(fill(deps.words().booked, { code: answer.body.code }));
    }
    await load();
    await fillSlots();
  }

  async function cancelBooking(b: BookingView) {
    if (!window.confirm(fill(deps.words().confirmCancel, { code: b.code }))) return;
    deps.alertBox(undefined);
    const answer = await api<BookingView>(`/appointments/${encodeURIComponent(b.id)}/cancel`, {
      method: 'POST',
      body: '{}',
    });
    if (answer.status !== 200) return failed(answer);
    deps.say(fill(deps.words().cancelledAppointment, { code: b.code }));
    if (moving?.id === b.id) moving = undefined;
    await load();
  }

  $('#book-topic').addEventListener('change', fillOffices);
  $('#book-office').addEventListener('change', () => void fillSlots());
  $<HTMLFormElement>('#book-form').addEventListener('submit', (e) => void submit(e));
  $('#book-cancel-move').addEventListener('click', () => {
    moving = undefined;
    render();
  });
  return {
    /** The bookings of a case (made while the citizen had it open on their procedure), in the case view. */
    showCase(ticket: string) {
      const w = deps.words();
      fillList(
        '#case-appointments',
        bookings
          .filter((b) => b.ticket === ticket)
          .map((b) =>
            h('li', {
              text: `${b.words.when} · ${b.words.office} · ${w.bookingStatuses[b.status]} · ${w.codeLabel} ${b.code}`,
            }),
          ),
        w.noAppointments,
      );
    },
    /** The shown citizen changed: their bookings. */
    load: () => {
      moving = undefined;
      return load();
    },
    /** The language changed. */
    render: () => {
      fillTopics();
      render();
    },
  };
}
