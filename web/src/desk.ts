import type { Channel } from '../../shared/domain/case';
import type { AgentWords } from './agent-i18n';
import type { ContactEvents, DeskState, DeskStatus, PanelContact } from './contact-events/port';
import { $, h } from './dom';
import { fill } from './i18n';

/** The case channel of a contact, as the timeline names it. */
export function channelOf(contact: Pick<PanelContact, 'channel' | 'subtype'>): Channel {
  if (contact.channel === 'VOICE') return 'VOICE';
  if (contact.subtype === 'connect:SMS') return 'SMS';
  if (contact.subtype === 'connect:WhatsApp') return 'WHATSAPP';
  return 'CHAT';
}

export interface DeskPage {
  readonly words: () => AgentWords;
  /** The contact connected (once per contact and page): show who it is. */
  readonly pop: (contact: PanelContact) => Promise<void>;
  /** The citizen the agent has open, to record the wrap-up on. */
  readonly citizen: () => { readonly id: string; readonly name: string } | undefined;
  /** The case the agent has open, when it is this citizen's. */
  readonly ticket: () => string | undefined;
  readonly topics: () => readonly { readonly id: string; readonly name: string }[];
  /** Records the wrap-up (POST /contacts/{id}/wrap-up); an error message, or undefined when saved. */
  readonly wrapUp: (contactId: string, body: Record<string, unknown>) => Promise<string | undefined>;
  readonly alert: (message: string | undefined) => void;
  readonly say: (message: string) => void;
}

/**
 * The contact strip at the top of the panel: the agent's status, an incoming contact with Accept and Reject,
 * the contact under way (and its conversation on text channels), and after-contact work — the contact's topic
 * and a note put on the citizen's timeline before the agent is routable again. Controls the source does not
 * offer (the agent workspace answers and clears with its own) are not shown.
 */
export function mountDesk(events: ContactEvents, page: DeskPage) {
  let state: DeskState = {};
  const popped = new Set<string>();
  let ringingFor: string | undefined;
  let workingOn: string | undefined;
  const title = document.title;

  const fail = (error: unknown) => page.alert(fill(page.words().failed, { m: (error as Error).message }));
  const run = (action: (() => Promise<void>) | undefined) => {
    page.alert(undefined);
    return action?.().catch(fail);
  };

  $('#desk').hidden = false;
  $('#desk-status-box').hidden = !events.setStatus;
  $('#accept').hidden = !events.accept;
  $('#reject').hidden = !events.reject;
  $('#hang-up').hidden = !events.hangUp;

  $('#desk-status').addEventListener('change', () => {
    const status = $<HTMLSelectElement>('#desk-status').value as DeskStatus;
    void run(events.setStatus && (() => events.setStatus!(status)));
  });
  $('#accept').addEventListener('click', () => {
    const id = state.contact?.contactId;
    if (id) void run(events.accept && (() => events.accept!(id)));
  });
  $('#reject').addEventListener('click', () => {
    const id = state.contact?.contactId;
    if (id) void run(events.reject && (() => events.reject!(id)));
  });
  $('#hang-up').addEventListener('click', () => {
    const id = state.contact?.contactId;
    if (id) void run(events.hangUp && (() => events.hangUp!(id)));
  });
  $<HTMLFormElement>('#chat-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const input = $<HTMLInputElement>('#chat-text');
    const id = state.contact?.contactId;
    const text = input.value.trim();
    if (!id || !text || !events.send) return;
    void run(async () => {
      await events.send!(id, text);
      input.value = '';
    });
  });
  $<HTMLFormElement>('#acw').addEventListener('submit', (e) => {
    e.preventDefault();
    void finish();
  });

  /** Saves the wrap-up on the citizen's timeline, then (where the source can) ends after-contact work. */
  async function finish() {
    const contact = state.contact;
    if (!contact) return;
    const words = page.words();
    const topicId = $<HTMLSelectElement>('#acw-topic').value;
    const note = $<HTMLTextAreaElement>('#acw-note').value.trim();
    const citizen = page.citizen();
    page.alert(undefined);
    if (citizen && (topicId || note)) {
      const ticket = page.ticket();
      const error = await page.wrapUp(contact.contactId, {
        citizenId: citizen.id,
        channel: channelOf(contact),
        startedAt: contact.initiatedAt ?? new Date().toISOString(),
        ...(topicId ? { topicId } : {}),
        ...(note ? { note } : {}),
        ...(ticket ? { ticket } : {}),
      });
      // Nothing is lost: the topic and note stay in the form, and the agent stays in after-contact work.
      if (error) return page.alert(fill(words.failed, { m: error }));
      page.say(words.saved);
    } else if (!citizen && note) return page.alert(words.wrapUpNeedsCitizen);
    if (events.clear) await run(() => events.clear!(contact.contactId));
  }

  function render() {
    const words = page.words();
    const contact = state.contact;
    const status = $<HTMLSelectElement>('#desk-status');
    if (state.status && [...status.options].some((o) => o.value === state.status))
      status.value = state.status;
    const from = (c: PanelContact) => c.phone ?? words.hiddenNumber;
    const what = (c: PanelContact) => (c.callback ? words.callbackContact : words.channels[channelOf(c)]);
    $('#desk-line').textContent = contact
      ? ''
      : state.status === 'Available'
        ? words.deskWaiting
        : state.status === 'Break'
          ? words.deskBreak
          : state.status === 'Offline'
            ? words.deskOffline
            : '';
    const missed = $('#desk-missed');
    missed.hidden = !state.missed || Boolean(contact);
    missed.textContent = words.missed;

    const ringing = contact?.state === 'ringing';
    $('#ring').hidden = !ringing;
    if (ringing)
      $('#ring-what').textContent = fill(words.ringWhat, { channel: what(contact), from: from(contact) });
    document.title = ringing ? `☎ ${words.ringing} — ${title}` : title;
    // The focus goes to Accept once per ringing contact: Enter answers, Tab reaches Reject.
    if (ringing && ringingFor !== contact.contactId && events.accept) $('#accept').focus();
    ringingFor = ringing ? contact.contactId : undefined;

    const on = contact && contact.state !== 'ringing';
    $('#on-contact').hidden = !on;
    if (on) {
      $('#contact-what').textContent = fill(words.onContact, { channel: what(contact), from: from(contact) });
      $('#contact-verified').textContent =
        contact.attributes.verified === 'true' ? words.verifiedYes : words.verifiedNo;
    }
    const chat = Boolean(on && contact.channel === 'CHAT' && contact.messages && events.send);
    $('#chat').hidden = !chat;
    if (chat)
      $('#messages').replaceChildren(
        ...contact!.messages!.map((m) =>
          h(
            'li',
            { class: m.from === 'agent' ? 'from-agent' : 'from-customer' },
            h('span', {
              class: 'who-said',
              text: `${m.from === 'agent' ? words.fromAgent : words.fromCustomer}: `,
            }),
            m.text,
          ),
        ),
      );
    $<HTMLInputElement>('#chat-text').disabled = contact?.state !== 'connected';
    $('#hang-up').hidden = !events.hangUp || contact?.state !== 'connected';

    const acw = contact?.state === 'after-contact-work';
    const form = $('#acw');
    form.hidden = !acw;
    if (acw) {
      const citizen = page.citizen();
      $('#acw-citizen').textContent = citizen
        ? fill(words.acwFor, { name: citizen.name })
        : words.acwNoCitizen;
      $('#acw-save').textContent = events.clear ? words.finishContact : words.saveWrapUp;
      if (workingOn !== contact.contactId) {
        // A new after-contact work: a fresh form, the topic of the case under way when there is one.
        workingOn = contact.contactId;
        $<HTMLTextAreaElement>('#acw-note').value = '';
        fillTopics(contact.attributes.topic);
        $('#acw-h').focus();
      }
    } else workingOn = undefined;

    // The screen pop, once per contact and page, when it connects (or when the page opens on it).
    if (on && !popped.has(contact.contactId)) {
      popped.add(contact.contactId);
      void page.pop(contact).catch(fail);
    }
  }

  function fillTopics(selected?: string) {
    const words = page.words();
    const select = $<HTMLSelectElement>('#acw-topic');
    const keep = selected ?? select.value;
    select.replaceChildren(
      h('option', { value: '', text: words.noTopic }),
      ...page.topics().map((t) => h('option', { value: t.id, text: t.name })),
    );
    select.value = page.topics().some((t) => t.id === keep) ? keep : '';
  }

  events.start((next) => {
    state = next;
    render();
  });

  return {
    /** The contact under way (connected or in after-contact work), for opening a case on it. */
    contact: (): PanelContact | undefined =>
      state.contact && state.contact.state !== 'ringing' ? state.contact : undefined,
    /** Redraws in the page's language. */
    render: () => {
      fillTopics();
      render();
    },
  };
}
