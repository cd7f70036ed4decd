import { onLanguageButton, savedLanguage } from './auth';
import { CALLER_TEXT, type CallerLanguage, type CallerWords } from './caller-i18n';
import { $, h } from './dom';
import { fill } from './i18n';

/** What the local telephone network says about a contact (local/phone.ts). */
type PhoneEvent =
  | { type: 'line'; text: string }
  | { type: 'ask'; kind: 'keys' | 'text' }
  | { type: 'queued'; queue: string }
  | { type: 'connected'; agent: string }
  | { type: 'message'; from: 'agent'; text: string; at: string }
  | { type: 'ended'; by: 'agent' | 'customer' | 'system' };

let language: CallerLanguage = savedLanguage();
let words: CallerWords = CALLER_TEXT[language];
let contactId: string | undefined;
let stream: EventSource | undefined;
let channel = 'whatsapp';
const seen: PhoneEvent[] = [];

function line(who: string, text: string, mine = false) {
  $('#lines').append(
    h('li', mine ? { class: 'mine' } : {}, h('span', { class: 'who', text: `${who}: ` }), text),
  );
}

/** Draws one event; the whole list is drawn again on a change of language. */
function draw(event: PhoneEvent) {
  const state = $('#state');
  switch (event.type) {
    case 'line':
      if (event.text.startsWith('< ')) line(words.system, event.text.slice(2));
      else if (event.text.startsWith('> ')) line(words.you, event.text.slice(2), true);
      break;
    case 'ask':
      state.textContent = event.kind === 'keys' ? words.waitingKeys : words.waitingText;
      $('#say-label').textContent = event.kind === 'keys' ? words.keys : words.write;
      break;
    case 'queued':
      state.textContent = words.queued;
      break;
    case 'connected':
      state.textContent = fill(words.connected, { name: event.agent });
      break;
    case 'message':
      line(words.agent, event.text);
      break;
    case 'ended':
      state.textContent =
        event.by === 'agent'
          ? words.endedAgent
          : event.by === 'customer'
            ? words.endedYou
            : words.endedSystem;
      $<HTMLInputElement>('#say-text').disabled = true;
      $('#hang-up').hidden = true;
      stream?.close();
      break;
  }
}

async function post(
  path: string,
  body: unknown,
): Promise<{ contactId?: string; message?: string; ok: boolean }> {
  const res = await fetch(`/local/phone/contacts${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { ...((await res.json()) as object), ok: res.ok };
}

async function place(event: SubmitEvent) {
  event.preventDefault();
  stream?.close();
  channel = $<HTMLSelectElement>('#channel').value;
  const from = $<HTMLInputElement>('#from').value.trim();
  const answer = await post('', { channel, ...(from ? { from } : {}) });
  if (!answer.ok || !answer.contactId)
    return ($('#state').textContent = fill(words.failed, { m: answer.message ?? '' }));
  contactId = answer.contactId;
  seen.length = 0;
  $('#lines').replaceChildren();
  $('#state').textContent = '';
  $<HTMLInputElement>('#say-text').disabled = false;
  $('#hang-up').hidden = false;
  $('#conversation').hidden = false;
  $('#conversation-h').focus();
  // EventSource resumes after the last event it saw (Last-Event-ID): nothing is drawn twice.
  stream = new EventSource(`/local/phone/contacts/${contactId}/events`);
  stream.addEventListener('phone', (e) => {
    const parsed = JSON.parse((e as MessageEvent<string>).data) as PhoneEvent;
    seen.push(parsed);
    draw(parsed);
  });
}

async function say(event: SubmitEvent) {
  event.preventDefault();
  const input = $<HTMLInputElement>('#say-text');
  if (!contactId) return;
  const text = input.value.trim();
  const answer = await post(`/${contactId}/input`, { text });
  if (!answer.ok) return ($('#state').textContent = fill(words.failed, { m: answer.message ?? '' }));
  // With a person, what the caller writes is shown here; in the flows, the flow repeats it.
  if (seen.some((e) => e.type === 'connected') && text) line(words.you, text, true);
  input.value = '';
  input.focus();
}

function applyLanguage() {
  words = CALLER_TEXT[language];
  document.documentElement.lang = language;
  document.title = `Ventanilla — ${words.title}`;
  document.querySelectorAll<HTMLElement>('[data-text]').forEach((el) => {
    el.textContent = String(words[el.dataset.text as keyof CallerWords] ?? el.textContent);
  });
  document.querySelectorAll<HTMLElement>('[data-channel]').forEach((el) => {
    el.textContent = words.channels[el.dataset.channel as keyof CallerWords['channels']];
  });
  $('#lang').textContent = words.language;
  $('#lines').replaceChildren();
  seen.forEach(draw);
}

onLanguageButton(
  () => language,
  (next) => {
    language = next;
    applyLanguage();
  },
);
$<HTMLFormElement>('#place').addEventListener('submit', (e) => void place(e));
$<HTMLFormElement>('#say').addEventListener('submit', (e) => void say(e));
$('#hang-up').addEventListener('click', () => {
  if (contactId) void post(`/${contactId}/hang-up`, {});
});
applyLanguage();
