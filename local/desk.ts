import {
  agentEvent,
  contactEvent,
  contactRecord,
  LOCAL_INSTANCE,
  type AgentSnapshot,
  type AgentStatusName,
  type RecordAgent,
  type RecordContact,
} from './simulator/connect-records';

/**
 * The local routing for people: the signed-in staff of `npm start` as agents of the local contact center.
 * A contact the flows leave in a queue (placed by `npm run call` or the caller page) is offered to the
 * available agent idle longest among those whose routing profile serves the queue; their panel rings, they
 * accept or reject, talk or exchange messages, hang up, do after-contact work and clear the contact. Every
 * step is emitted to the stream as Connect emits it (contact events, agent events, the contact record), the
 * same payloads as the simulated agents', so the dashboard and the metrics count people and simulation alike.
 */

/** What an agent sets: routable, on a break, or signed out of the routing. */
export const DESK_STATUSES = ['Available', 'Break', 'Offline'] as const;
export type DeskStatus = (typeof DESK_STATUSES)[number];

export interface DeskMessage {
  readonly from: 'agent' | 'customer';
  readonly text: string;
  readonly at: string;
}

/** A contact as the agent's panel sees it (the same shape every contact-events source gives the panel). */
export interface DeskContactView {
  readonly contactId: string;
  readonly channel: 'VOICE' | 'CHAT';
  readonly subtype?: string;
  /** The customer's number (Connect shows it to the agent with the contact). */
  readonly phone?: string;
  /** A queued callback (Connect's QUEUE_CALLBACK): the agent calls the citizen back. */
  readonly callback?: boolean;
  readonly queue: string;
  readonly state: 'ringing' | 'connected' | 'after-contact-work';
  readonly since: string;
  readonly initiatedAt: string;
  /** The contact attributes the flows set: opaque ids only (citizen id, ticket) and flags. */
  readonly attributes: Readonly<Record<string, string>>;
  readonly messages: readonly DeskMessage[];
}

export interface DeskView {
  readonly status: DeskStatus;
  readonly since: string;
  readonly contact?: DeskContactView;
  /** The contact this agent let ring out, until the next one. */
  readonly missed?: string;
}

/** What the caller's side hears once they are past the flows. */
export type CallerEvent =
  | { readonly type: 'queued'; readonly queue: string }
  | { readonly type: 'connected'; readonly agent: string }
  | { readonly type: 'message'; readonly from: 'agent'; readonly text: string; readonly at: string }
  | { readonly type: 'ended'; readonly by: 'agent' | 'customer' | 'system' };

export interface DeskPerson {
  readonly username: string;
  readonly name: string;
  /** The departments whose queues they serve; every queue when absent. */
  readonly departments?: readonly string[];
}

export class DeskError extends Error {
  constructor(
    readonly code: 'NOT_SIGNED_IN' | 'NO_SUCH_CONTACT' | 'WRONG_STATE' | 'INVALID_INPUT',
    message: string,
  ) {
    super(message);
    this.name = 'DeskError';
  }
}

interface Contact {
  readonly record: RecordContact;
  readonly queue: string;
  readonly enqueuedAt: number;
  readonly attributes: Readonly<Record<string, string>>;
  readonly messages: DeskMessage[];
  readonly caller: (event: CallerEvent) => void;
  state: 'queued' | 'ringing' | 'connected' | 'after-contact-work' | 'done';
  agent?: Agent;
  answeredAt?: number;
  disconnectedAt?: number;
  disconnectReason?: string;
  /** Agents who rejected or missed it, until when they are not offered it again. */
  readonly declined: Map<string, number>;
  ring?: NodeJS.Timeout;
}

interface Agent {
  readonly person: DeskPerson;
  readonly record: RecordAgent;
  status: DeskStatus;
  statusSince: number;
  idleSince: number;
  contact?: Contact;
  contactSince: number;
  missed?: string;
  sequence: number;
  lastEventAt: number;
  previous?: AgentSnapshot;
  readonly listeners: Set<(view: DeskView) => void>;
  heartbeat?: NodeJS.Timeout;
  away?: NodeJS.Timeout;
}

export interface DeskDeps {
  /** Puts a payload on the stream with Connect's partition key; called in order. */
  readonly emit: (payload: unknown, partitionKey: string) => void;
  /** Every local queue; a person's routing profile serves those of their departments. */
  readonly queuesOf: (departments?: readonly string[]) => readonly string[];
  readonly now?: () => number;
  /** How long an offer rings before it is missed (Connect: 20 s by default for voice). */
  readonly ringMs?: number;
  /** An agent whose every panel has been closed this long is signed out of the routing. */
  readonly awayMs?: number;
  readonly heartbeatMs?: number;
}

const MAX_MESSAGE = 1024;
const iso = (ms: number) => new Date(ms).toISOString();

export function localDesk(deps: DeskDeps) {
  const now = deps.now ?? Date.now;
  const ringMs = deps.ringMs ?? 20_000;
  const awayMs = deps.awayMs ?? 30_000;
  const heartbeatMs = deps.heartbeatMs ?? 120_000;
  const agents = new Map<string, Agent>();
  const contacts = new Map<string, Contact>();
  /** Waiting contacts, oldest first. */
  const waiting: Contact[] = [];

  const agentStatusName = (a: Agent): AgentStatusName => a.status;
  const snapshot = (a: Agent): AgentSnapshot => ({
    status: agentStatusName(a),
    statusSince: a.statusSince,
    ...(a.contact
      ? {
          contact: {
            contact: a.contact.record,
            queue: a.contact.queue,
            enqueuedAt: a.contact.enqueuedAt,
            state:
              a.contact.state === 'ringing'
                ? 'CONNECTING'
                : a.contact.state === 'connected'
                  ? 'CONNECTED'
                  : 'ENDED',
            since: a.contactSince,
          },
        }
      : {}),
  });
  const agentEmit = (a: Agent, type: 'STATE_CHANGE' | 'HEART_BEAT' | 'LOGIN' | 'LOGOUT') => {
    const time = Math.max(now(), a.lastEventAt + 1);
    a.lastEventAt = time;
    const current = snapshot(a);
    deps.emit(agentEvent(type, a.record, time, ++a.sequence, current, a.previous), a.record.arn);
    a.previous = current;
  };
  const viewOf = (a: Agent): DeskView => {
    const c = a.contact;
    return {
      status: a.status,
      since: iso(a.statusSince),
      ...(a.missed ? { missed: a.missed } : {}),
      ...(c
        ? {
            contact: {
              contactId: c.record.contactId,
              channel: c.record.channel,
              ...(c.record.subtype ? { subtype: c.record.subtype } : {}),
              ...(c.record.phone ? { phone: c.record.phone } : {}),
              ...(c.record.callbackOf ? { callback: true } : {}),
              queue: c.queue,
              state:
                c.state === 'ringing'
                  ? 'ringing'
                  : c.state === 'connected'
                    ? 'connected'
                    : 'after-contact-work',
              since: iso(a.contactSince),
              initiatedAt: iso(c.record.initiatedAt),
              attributes: c.attributes,
              messages: [...c.messages],
            },
          }
        : {}),
    };
  };
  const tell = (a: Agent) => {
    const view = viewOf(a);
    for (const listener of a.listeners) listener(view);
  };
  const beat = (a: Agent) => {
    clearInterval(a.heartbeat);
    if (a.status === 'Offline') return;
    a.heartbeat = setInterval(() => {
      if (!a.contact) agentEmit(a, 'HEART_BEAT');
    }, heartbeatMs);
    a.heartbeat.unref();
  };

  /** Offers each waiting contact, oldest first, to the agent idle longest who serves its queue. */
  const dispatch = () => {
    const at = now();
    for (const c of [...waiting]) {
      let best: Agent | undefined;
      for (const a of agents.values())
        if (
          a.status === 'Available' &&
          !a.contact &&
          a.record.profile.queues.includes(c.queue) &&
          (c.declined.get(a.person.username) ?? 0) <= at &&
          (!best || a.idleSince < best.idleSince)
        )
          best = a;
      if (best) offer(c, best);
    }
    // A contact declined by everyone who could take it is offered again when the wait is over.
    const next = Math.min(...waiting.flatMap((c) => [...c.declined.values()].filter((until) => until > at)));
    if (Number.isFinite(next)) setTimeout(dispatch, next - at + 5).unref();
  };
  const offer = (c: Contact, a: Agent) => {
    waiting.splice(waiting.indexOf(c), 1);
    c.state = 'ringing';
    c.agent = a;
    a.contact = c;
    a.contactSince = now();
    a.missed = undefined;
    agentEmit(a, 'STATE_CHANGE');
    clearInterval(a.heartbeat);
    c.ring = setTimeout(() => {
      // Missed: back to the head of the queue; this agent is not offered it again for a while.
      a.missed = c.record.contactId;
      giveBack(c, a, ringMs);
    }, ringMs);
    c.ring.unref();
    tell(a);
  };
  /** The offer ends unanswered: the contact waits again where it was, and the agent is free. */
  const giveBack = (c: Contact, a: Agent, declineMs: number) => {
    clearTimeout(c.ring);
    c.state = 'queued';
    c.agent = undefined;
    c.declined.set(a.person.username, now() + declineMs);
    a.contact = undefined;
    a.idleSince = now();
    agentEmit(a, 'STATE_CHANGE');
    beat(a);
    const at = waiting.findIndex((w) => w.enqueuedAt > c.enqueuedAt);
    waiting.splice(at < 0 ? waiting.length : at, 0, c);
    tell(a);
    dispatch();
  };

  const signedIn = (username: string) => {
    const a = agents.get(username);
    if (!a || a.status === 'Offline') throw new DeskError('NOT_SIGNED_IN', 'set a status first');
    return a;
  };
  const contactOf = (a: Agent, contactId: string) => {
    const c = a.contact;
    if (!c || c.record.contactId !== contactId)
      throw new DeskError('NO_SUCH_CONTACT', `contact ${contactId} is not this agent's`);
    return c;
  };
  const disconnect = (c: Contact, by: 'agent' | 'customer') => {
    const a = c.agent!;
    c.state = 'after-contact-work';
    c.disconnectedAt = now();
    c.disconnectReason = by === 'agent' ? 'AGENT_DISCONNECT' : 'CUSTOMER_DISCONNECT';
    deps.emit(
      contactEvent(c.record, 'DISCONNECTED', c.disconnectedAt, {
        queue: c.queue,
        disconnectReason: c.disconnectReason,
      }),
      c.record.contactId,
    );
    a.contactSince = c.disconnectedAt;
    agentEmit(a, 'STATE_CHANGE');
    c.caller({ type: 'ended', by });
    tell(a);
  };
  /** The caller hangs up while waiting: abandoned, as Connect records it. */
  const abandon = (c: Contact) => {
    const at = now();
    const index = waiting.indexOf(c);
    if (index >= 0) waiting.splice(index, 1);
    c.state = 'done';
    deps.emit(contactEvent(c.record, 'DISCONNECTED', at, { queue: c.queue }), c.record.contactId);
    deps.emit(
      contactRecord(c.record, {
        connectedToSystemAt: c.record.initiatedAt,
        disconnectedAt: at,
        lastUpdateAt: at,
        disconnectReason: 'CUSTOMER_DISCONNECT',
        queue: { arn: c.queue, enqueuedAt: c.enqueuedAt, dequeuedAt: at },
        attributes: c.attributes,
      }),
      c.record.contactId,
    );
    contacts.delete(c.record.contactId);
  };
  const setStatus = (a: Agent, status: DeskStatus) => {
    const wasOffline = a.status === 'Offline';
    if (status === a.status) return;
    if (a.contact && a.contact.state !== 'ringing' && status === 'Offline')
      throw new DeskError('WRONG_STATE', 'finish the contact before signing out of the routing');
    if (a.contact?.state === 'ringing') giveBack(a.contact, a, 0);
    if (wasOffline) agentEmit(a, 'LOGIN');
    a.status = status;
    a.statusSince = now();
    if (status === 'Available') a.idleSince = now();
    agentEmit(a, status === 'Offline' ? 'LOGOUT' : 'STATE_CHANGE');
    beat(a);
    tell(a);
    if (status === 'Available') dispatch();
  };

  return {
    /** The agent's panel subscribes: it gets the whole view now and after every change. */
    watch(person: DeskPerson, listener: (view: DeskView) => void): () => void {
      let a = agents.get(person.username);
      if (!a) {
        const queues = deps.queuesOf(person.departments);
        a = {
          person,
          record: {
            arn: `${LOCAL_INSTANCE}/agent/${person.username}`,
            username: person.username,
            profile: {
              arn: `${LOCAL_INSTANCE}/routing-profile/person-${person.username}`,
              name: person.name,
              queues,
            },
          },
          status: 'Offline',
          statusSince: now(),
          idleSince: now(),
          contactSince: now(),
          sequence: 0,
          lastEventAt: 0,
          listeners: new Set(),
        };
        agents.set(person.username, a);
      }
      const agent = a;
      clearTimeout(agent.away);
      agent.listeners.add(listener);
      listener(viewOf(agent));
      return () => {
        agent.listeners.delete(listener);
        if (agent.listeners.size) return;
        // Every panel closed: after a while (a reload is not leaving), out of the routing, so that no
        // contact rings where nobody is.
        agent.away = setTimeout(() => {
          if (agent.listeners.size || agent.status === 'Offline') return;
          if (agent.contact && agent.contact.state !== 'ringing') return;
          setStatus(agent, 'Offline');
        }, awayMs);
        agent.away.unref();
      };
    },
    view(username: string): DeskView | undefined {
      const a = agents.get(username);
      return a && viewOf(a);
    },
    setStatus(person: DeskPerson, status: DeskStatus) {
      let a = agents.get(person.username);
      if (!a) {
        const stop = this.watch(person, () => undefined);
        stop();
        a = agents.get(person.username)!;
      }
      setStatus(a, status);
      return viewOf(a);
    },
    accept(username: string, contactId: string) {
      const a = signedIn(username);
      const c = contactOf(a, contactId);
      if (c.state !== 'ringing') throw new DeskError('WRONG_STATE', 'the contact is not ringing');
      clearTimeout(c.ring);
      const at = now();
      c.state = 'connected';
      c.answeredAt = at;
      a.contactSince = at;
      deps.emit(
        contactEvent(c.record, 'CONNECTED_TO_AGENT', at, {
          queue: c.queue,
          enqueuedAt: c.enqueuedAt,
          agent: a.record.arn,
        }),
        c.record.contactId,
      );
      agentEmit(a, 'STATE_CHANGE');
      c.caller({ type: 'connected', agent: a.person.name });
      tell(a);
      return viewOf(a);
    },
    reject(username: string, contactId: string) {
      const a = signedIn(username);
      const c = contactOf(a, contactId);
      if (c.state !== 'ringing') throw new DeskError('WRONG_STATE', 'the contact is not ringing');
      a.missed = undefined;
      giveBack(c, a, 10_000);
      return viewOf(a);
    },
    send(username: string, contactId: string, text: string) {
      const a = signedIn(username);
      const c = contactOf(a, contactId);
      if (c.state !== 'connected') throw new DeskError('WRONG_STATE', 'the contact is not connected');
      if (c.record.channel !== 'CHAT') throw new DeskError('WRONG_STATE', 'a call has no messages');
      const clean = text.trim();
      if (!clean || clean.length > MAX_MESSAGE)
        throw new DeskError('INVALID_INPUT', `text: from 1 to ${MAX_MESSAGE} characters`);
      const message: DeskMessage = { from: 'agent', text: clean, at: iso(now()) };
      c.messages.push(message);
      c.caller({ type: 'message', from: 'agent', text: clean, at: message.at });
      tell(a);
      return viewOf(a);
    },
    hangUp(username: string, contactId: string) {
      const a = signedIn(username);
      const c = contactOf(a, contactId);
      if (c.state !== 'connected') throw new DeskError('WRONG_STATE', 'the contact is not connected');
      disconnect(c, 'agent');
      return viewOf(a);
    },
    /** After-contact work is over: the contact is completed, its record written, the agent routable again. */
    clear(username: string, contactId: string) {
      const a = signedIn(username);
      const c = contactOf(a, contactId);
      if (c.state !== 'after-contact-work')
        throw new DeskError('WRONG_STATE', 'hang up before finishing the after-contact work');
      const at = now();
      deps.emit(contactEvent(c.record, 'COMPLETED', at, { queue: c.queue }), c.record.contactId);
      deps.emit(
        contactRecord(c.record, {
          connectedToSystemAt: c.record.initiatedAt,
          disconnectedAt: c.disconnectedAt!,
          lastUpdateAt: at,
          disconnectReason: c.disconnectReason!,
          queue: { arn: c.queue, enqueuedAt: c.enqueuedAt, dequeuedAt: c.answeredAt! },
          agent: {
            agent: a.record,
            connectedAt: c.answeredAt!,
            talkSeconds: Math.round((c.disconnectedAt! - c.answeredAt!) / 1000),
            holdSeconds: 0,
            afterContactStart: c.disconnectedAt!,
            afterContactSeconds: Math.round((at - c.disconnectedAt!) / 1000),
          },
          attributes: c.attributes,
        }),
        c.record.contactId,
      );
      c.state = 'done';
      contacts.delete(contactId);
      a.contact = undefined;
      a.idleSince = at;
      a.statusSince = at;
      agentEmit(a, 'STATE_CHANGE');
      beat(a);
      tell(a);
      dispatch();
      return viewOf(a);
    },

    /** A contact the flows left in a queue waits for a person; `caller` hears what happens to it. */
    enqueue(
      record: RecordContact,
      queue: string,
      attributes: Readonly<Record<string, string>>,
      caller: (event: CallerEvent) => void,
    ) {
      const at = now();
      const c: Contact = {
        record,
        queue,
        enqueuedAt: at,
        attributes,
        messages: [],
        caller,
        state: 'queued',
        declined: new Map(),
      };
      contacts.set(record.contactId, c);
      waiting.push(c);
      deps.emit(contactEvent(record, 'QUEUED', at, { queue, enqueuedAt: at }), record.contactId);
      caller({ type: 'queued', queue });
      dispatch();
    },
    /** The customer writes (chat, SMS, WhatsApp): the agent sees it, or finds it on accepting. */
    customerSays(contactId: string, text: string) {
      const c = contacts.get(contactId);
      if (!c) throw new DeskError('NO_SUCH_CONTACT', `contact ${contactId} is over`);
      const clean = text.trim();
      if (!clean || clean.length > MAX_MESSAGE)
        throw new DeskError('INVALID_INPUT', `text: from 1 to ${MAX_MESSAGE} characters`);
      c.messages.push({ from: 'customer', text: clean, at: iso(now()) });
      if (c.agent) tell(c.agent);
    },
    /** The customer hangs up (or closes the chat): abandoned in the queue, or the agent's contact ends. */
    customerHangsUp(contactId: string) {
      const c = contacts.get(contactId);
      if (!c) return;
      if (c.state === 'queued') return abandon(c);
      if (c.state === 'ringing') {
        const a = c.agent!;
        clearTimeout(c.ring);
        a.contact = undefined;
        a.idleSince = now();
        agentEmit(a, 'STATE_CHANGE');
        beat(a);
        tell(a);
        return abandon(c);
      }
      if (c.state === 'connected') disconnect(c, 'customer');
    },
    /** Contacts waiting, for `npm start`'s terminal and the tests. */
    waiting: () => waiting.map((c) => c.record.contactId),
    /** A queue's figures as Connect's Get queue metrics gives them to a flow: contacts in it, the oldest's age. */
    figures(queue: string) {
      const mine = waiting.filter((c) => c.queue === queue);
      const oldest = Math.min(...mine.map((c) => c.enqueuedAt));
      return {
        size: mine.length,
        oldestContactAge: mine.length ? Math.max(0, Math.round((now() - oldest) / 1000)) : 0,
      };
    },
    close() {
      for (const a of agents.values()) {
        clearInterval(a.heartbeat);
        clearTimeout(a.away);
      }
      for (const c of contacts.values()) clearTimeout(c.ring);
    },
  };
}

export type LocalDesk = ReturnType<typeof localDesk>;
