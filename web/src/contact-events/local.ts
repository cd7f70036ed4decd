import { ContactEventsError, type ContactEvents, type DeskState, type DeskStatus } from './port';

/**
 * The local routing of `npm start`: the signed-in person's desk as server-sent events, and its steps as
 * requests (the session cookie says who).
 */
export function localContactEvents(base = '/local/desk'): ContactEvents {
  const post = async (path: string, body: unknown = {}) => {
    const res = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      credentials: 'same-origin',
      body: JSON.stringify(body),
    });
    if (!res.ok) {
      const error = (await res.json().catch(() => ({}))) as { code?: string; message?: string };
      throw new ContactEventsError(error.code ?? String(res.status), error.message ?? res.statusText);
    }
  };
  const contact = (id: string, action: string) => `/contacts/${encodeURIComponent(id)}/${action}`;
  return {
    source: 'local',
    start(onState) {
      // EventSource reconnects by itself; every event is the whole state, so a reconnection loses nothing.
      const events = new EventSource(`${base}/events`, { withCredentials: true });
      events.addEventListener('desk', (e) =>
        onState(JSON.parse((e as MessageEvent<string>).data) as DeskState),
      );
    },
    setStatus: (status: DeskStatus) => post('/status', { status }),
    accept: (id) => post(contact(id, 'accept')),
    reject: (id) => post(contact(id, 'reject')),
    send: (id, text) => post(contact(id, 'messages'), { text }),
    hangUp: (id) => post(contact(id, 'hang-up')),
    clear: (id) => post(contact(id, 'clear')),
  };
}
