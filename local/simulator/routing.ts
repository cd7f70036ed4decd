import {
  agentEvent,
  contactEvent,
  contactRecord,
  type AgentSnapshot,
  type AgentStatusName,
  type RecordAgent,
  type RecordContact,
} from './connect-records';
import { MEDIA, type PlannedContact } from './traffic';

/** A callback contact the flows created (Create callback contact), with its number's Connect parameters. */
export interface FlowCallback {
  readonly queue: string;
  readonly number: string;
  readonly initialDelaySeconds: number;
  readonly maxAttempts: number;
  readonly retryDelaySeconds: number;
}

/**
 * What the flows did with a contact: left it in a queue, or ended it (self-service, after hours, or with a
 * callback created to keep its place).
 */
export interface FlowResult {
  readonly queue?: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly callback?: FlowCallback;
}

/** A queue's real-time figures, as Connect's Get queue metrics gives them to a flow. */
export type QueueProbe = (queue: string) => { readonly size: number; readonly oldestContactAge: number };

/** One agent for the day: who, which queues, and when they take their break (seconds into the day). */
export interface PlannedAgent {
  readonly agent: RecordAgent;
  readonly loginAt: number;
  readonly breakAt?: number;
  readonly breakSeconds: number;
}

/** How each contact ended, as the simulator saw it: the ground truth the metrics are checked against. */
export interface ContactOutcome {
  readonly contact: PlannedContact;
  /**
   * For a callback contact: `handled` once the citizen answered an agent's call, `callback-failed` when every
   * attempt went unanswered. An inbound call that ended with a callback created is `callback-requested`.
   */
  readonly result:
    'handled' | 'abandoned' | 'self-service' | 'lost' | 'callback-requested' | 'callback-failed';
  /** The callback contact's outcome (its contact id is the inbound one's with `-cb`). */
  readonly callback?: boolean;
  /** An inbound contact offered a callback (by the flow's attribute) and the queue it would have joined. */
  readonly callbackOffered?: { readonly queue: string; readonly at: number };
  /** An inbound contact that ended with a callback created, in this queue. */
  readonly callbackRequested?: { readonly queue: string; readonly at: number };
  readonly reason?: string;
  readonly queue?: string;
  readonly enqueuedAt?: number;
  /** Whole seconds in queue. */
  readonly queueSeconds?: number;
  /** Talk + hold + after-contact work. */
  readonly handleSeconds?: number;
}

export interface SimulationDeps {
  /** The start of the simulated day, ms since the epoch. */
  readonly start: number;
  readonly hours: number;
  readonly contacts: readonly PlannedContact[];
  readonly agents: readonly PlannedAgent[];
  /**
   * Runs a contact through the flows; called ahead of its arrival, in arrival order, with the queues' figures
   * as they are when it runs (Connect's queue metrics are themselves some seconds behind).
   */
  readonly runFlow: (contact: PlannedContact, queues: QueueProbe) => Promise<FlowResult>;
  /** How many flows may run ahead of the simulated clock. */
  readonly lookahead?: number;
  /** Receives each payload in simulated-time order, with the partition key Connect would use. */
  readonly emit: (payload: unknown, partitionKey: string) => void;
  /** Waits until the simulated clock may move to `at` (pacing); absent, the day runs as fast as it can. */
  readonly pace?: (at: number) => Promise<void>;
  /** Called each time a contact ends. */
  readonly progress?: (ended: number, at: number) => void;
  /** Runs every `seconds` of simulated time until the day is over, with the queues as they are (a clock's rule). */
  readonly every?: {
    readonly seconds: number;
    readonly run: (at: number, queues: QueueProbe) => void | Promise<void>;
  };
  /**
   * Stops the day where it is (Ctrl-C): contacts still waiting hang up, those with an agent end now, those
   * in the flows end there, and every agent logs out — all emitted as Connect would, so nothing is left
   * waiting or logged in on the dashboard. Contacts that had not arrived yet never happen.
   */
  readonly signal?: AbortSignal;
}

const HEARTBEAT_MS = 120_000;

interface Waiting {
  readonly contact: PlannedContact;
  readonly record: RecordContact;
  readonly queue: string;
  readonly enqueuedAt: number;
  readonly attributes: Readonly<Record<string, string>>;
  answered: boolean;
  answeredAt?: number;
  /** A callback contact: its parameters, the calls made, when it first queued and its seconds in queue so far. */
  readonly callback?: {
    readonly settings: FlowCallback;
    attempts: number;
    firstEnqueuedAt: number;
    queuedMs: number;
  };
}

/** Seconds an agent's call to a citizen rings before it counts as unanswered; and the note after it. */
const CALLBACK_RING_SECONDS = 25;
const CALLBACK_NOTE_SECONDS = 10;

interface AgentState {
  readonly plan: PlannedAgent;
  status: AgentStatusName;
  statusSince: number;
  idleSince: number;
  onContact?: Waiting;
  contactState?: 'CONNECTED' | 'ENDED';
  contactSince: number;
  lastEventAt: number;
  sequence: number;
  generation: number;
  tookBreak: boolean;
  previous?: AgentSnapshot;
}

/** A small binary heap of timed events, ordered by time, then by when they were scheduled. */
class Agenda {
  private readonly heap: { at: number; seq: number; run: () => Promise<void> | void }[] = [];
  private seq = 0;
  get size() {
    return this.heap.length;
  }
  push(at: number, run: () => Promise<void> | void) {
    const h = this.heap;
    h.push({ at, seq: this.seq++, run });
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }
  pop() {
    const h = this.heap;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(l, m)) m = l;
        if (r < h.length && this.less(r, m)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
  private less(a: number, b: number) {
    const x = this.heap[a]!;
    const y = this.heap[b]!;
    return x.at < y.at || (x.at === y.at && x.seq < y.seq);
  }
}

/**
 * A day in the contact center, event by event on a simulated clock: contacts arrive and run the flows;
 * those left in a queue wait for the agent who has been idle longest among those whose routing profile
 * serves the queue, or give up when their patience runs out; agents log in, take contacts, do after-contact
 * work, take a break, send heartbeats while idle, and log out once the day is over and nothing waits.
 * Everything is emitted as Connect would emit it.
 */
export async function simulateDay(deps: SimulationDeps): Promise<ContactOutcome[]> {
  const agenda = new Agenda();
  const at = (seconds: number) => deps.start + seconds * 1000;
  const end = at(deps.hours * 3600);
  const outcomes: ContactOutcome[] = [];
  const waiting = new Map<string, Waiting[]>();
  const agents: AgentState[] = [];
  const flows: Promise<FlowResult>[] = [];
  const lookahead = deps.lookahead ?? 32;
  let inFlows = 0;
  let arrived = 0;
  let now = deps.start;
  let closing = false;
  /** Contacts in the flows (arrived, not yet queued or ended), for a stop. */
  const inFlow = new Map<string, { contact: PlannedContact; record: RecordContact }>();
  /** Callback contacts between their creation (or an unanswered call) and their turn in the queue. */
  const scheduledCallbacks = new Set<Waiting>();
  const probe: QueueProbe = (queue) => {
    const list = waiting.get(queue) ?? [];
    return {
      size: list.length,
      oldestContactAge: list.length ? Math.max(0, Math.round((now - list[0]!.enqueuedAt) / 1000)) : 0,
    };
  };

  const finish = (outcome: ContactOutcome) => {
    outcomes.push(outcome);
    deps.progress?.(outcomes.length, now);
  };
  const startFlowsUpTo = (index: number) => {
    for (let i = flows.length; i <= Math.min(index, deps.contacts.length - 1); i++) {
      const flow = deps.runFlow(deps.contacts[i]!, probe);
      flow.catch(() => undefined); // awaited at the contact's turn
      flows.push(flow);
    }
  };

  // ---- agents
  const agentSnapshot = (a: AgentState): AgentSnapshot => ({
    status: a.status,
    statusSince: a.statusSince,
    ...(a.onContact
      ? {
          contact: {
            contact: a.onContact.record,
            queue: a.onContact.queue,
            enqueuedAt: a.onContact.enqueuedAt,
            state: a.contactState!,
            since: a.contactSince,
          },
        }
      : {}),
  });
  const agentEmit = (a: AgentState, type: 'STATE_CHANGE' | 'HEART_BEAT' | 'LOGIN' | 'LOGOUT') => {
    // Event times strictly increase per agent: the newest state always wins.
    const time = Math.max(now, a.lastEventAt + 1);
    a.lastEventAt = time;
    const current = agentSnapshot(a);
    deps.emit(agentEvent(type, a.plan.agent, time, ++a.sequence, current, a.previous), a.plan.agent.arn);
    a.previous = current;
  };
  const idle = (a: AgentState) => !a.onContact && a.status !== 'Offline';
  const scheduleHeartbeat = (a: AgentState) => {
    const generation = ++a.generation;
    agenda.push(now + HEARTBEAT_MS, () => {
      if (a.generation !== generation || !idle(a)) return;
      agentEmit(a, 'HEART_BEAT');
      scheduleHeartbeat(a);
    });
  };
  const setStatus = (a: AgentState, status: AgentStatusName) => {
    a.status = status;
    a.statusSince = now;
    if (status === 'Available') a.idleSince = now;
    agentEmit(a, status === 'Offline' ? 'LOGOUT' : 'STATE_CHANGE');
    if (status !== 'Offline') scheduleHeartbeat(a);
    else a.generation++;
  };
  const nothingLeft = () =>
    closing &&
    inFlows === 0 &&
    scheduledCallbacks.size === 0 &&
    arrived === deps.contacts.length &&
    [...waiting.values()].every((q) => !q.length);
  /** An agent free of contacts decides what next: a break that is due, going home, or the next contact. */
  const freeAgent = (a: AgentState) => {
    const plan = a.plan;
    if (!a.tookBreak && plan.breakAt !== undefined && now >= at(plan.breakAt) && !closing) {
      a.tookBreak = true;
      setStatus(a, 'Break');
      agenda.push(now + plan.breakSeconds * 1000, () => {
        setStatus(a, 'Available');
        freeAgent(a);
      });
      return;
    }
    if (nothingLeft()) {
      setStatus(a, 'Offline');
      return;
    }
    if (a.status !== 'Available') setStatus(a, 'Available');
    pickContact(a);
  };
  const pickContact = (a: AgentState) => {
    let best: Waiting | undefined;
    for (const queue of a.plan.agent.profile.queues) {
      const head = waiting.get(queue)?.[0];
      if (head && (!best || head.enqueuedAt < best.enqueuedAt)) best = head;
    }
    if (best) connect(best, a);
  };
  const connect = (w: Waiting, a: AgentState) => {
    const queue = waiting.get(w.queue)!;
    queue.splice(queue.indexOf(w), 1);
    w.answered = true;
    w.answeredAt = now;
    const answeredAt = now;
    a.onContact = w;
    a.contactState = 'CONNECTED';
    a.contactSince = now;
    deps.emit(
      contactEvent(w.record, 'CONNECTED_TO_AGENT', now, {
        queue: w.queue,
        enqueuedAt: w.enqueuedAt,
        agent: a.plan.agent.arn,
      }),
      w.contact.contactId,
    );
    agentEmit(a, 'STATE_CHANGE');
    a.generation++; // no heartbeats on contact
    const c = w.contact;
    const cb = w.callback;
    if (cb) {
      cb.attempts++;
      cb.queuedMs += now - w.enqueuedAt;
      if (cb.attempts < c.callbackAnswersOnAttempt) return unanswered(w, a, cb, answeredAt);
    }
    // A callback's call rings before the citizen answers; an inbound contact is already on the line.
    const talkFrom = cb ? now + CALLBACK_RING_SECONDS * 1000 : now;
    agenda.push(talkFrom + (c.talkSeconds + c.holdSeconds) * 1000, () => {
      deps.emit(
        contactEvent(w.record, 'DISCONNECTED', now, {
          queue: w.queue,
          disconnectReason: c.index % 3 ? 'CUSTOMER_DISCONNECT' : 'AGENT_DISCONNECT',
        }),
        c.contactId,
      );
      const afterContactStart = now;
      a.contactState = 'ENDED';
      a.contactSince = now;
      agentEmit(a, 'STATE_CHANGE');
      agenda.push(now + c.afterContactSeconds * 1000, () => {
        const ringSeconds = cb ? CALLBACK_RING_SECONDS : 0;
        complete(a, w, {
          answeredAt,
          ...(cb ? { citizenAnsweredAt: talkFrom } : {}),
          talkSeconds: ringSeconds + c.talkSeconds,
          holdSeconds: c.holdSeconds,
          afterContactStart,
          afterContactSeconds: c.afterContactSeconds,
          disconnectReason: c.index % 3 ? 'CUSTOMER_DISCONNECT' : 'AGENT_DISCONNECT',
        });
        a.idleSince = now;
        a.statusSince = now;
        finish({
          contact: c,
          result: 'handled',
          queue: w.queue,
          ...placeOf(w, answeredAt),
          handleSeconds: ringSeconds + c.talkSeconds + c.holdSeconds + c.afterContactSeconds,
          ...(cb ? { callback: true } : offeredOf(w.attributes, w.record)),
        });
        agentEmit(a, 'STATE_CHANGE');
        scheduleHeartbeat(a);
        freeAgent(a);
        if (nothingLeft()) goHome();
      });
    });
  };
  /** After-contact work ends: the contact is completed, its record emitted, and the agent is free of it. */
  const complete = (
    a: AgentState,
    w: Waiting,
    t: {
      answeredAt: number;
      /** A callback's citizen answered the agent's call (absent: never). */
      citizenAnsweredAt?: number;
      talkSeconds: number;
      holdSeconds: number;
      afterContactStart: number;
      afterContactSeconds: number;
      disconnectReason: string;
    },
  ) => {
    deps.emit(contactEvent(w.record, 'COMPLETED', now, { queue: w.queue }), w.contact.contactId);
    const cb = w.callback;
    deps.emit(
      contactRecord(w.record, {
        ...(cb
          ? t.citizenAnsweredAt !== undefined
            ? { connectedToSystemAt: t.citizenAnsweredAt }
            : {}
          : { connectedToSystemAt: w.record.initiatedAt }),
        ...(cb ? { attempts: cb.attempts } : {}),
        disconnectedAt: t.afterContactStart,
        lastUpdateAt: now,
        disconnectReason: t.disconnectReason,
        queue: cb
          ? {
              arn: w.queue,
              enqueuedAt: cb.firstEnqueuedAt,
              dequeuedAt: t.answeredAt,
              seconds: Math.round(cb.queuedMs / 1000),
            }
          : { arn: w.queue, enqueuedAt: w.enqueuedAt, dequeuedAt: t.answeredAt },
        agent: {
          agent: a.plan.agent,
          connectedAt: t.answeredAt,
          talkSeconds: t.talkSeconds,
          holdSeconds: t.holdSeconds,
          afterContactStart: t.afterContactStart,
          afterContactSeconds: t.afterContactSeconds,
        },
        attributes: w.attributes,
      }),
      w.contact.contactId,
    );
    a.onContact = undefined;
    a.contactState = undefined;
  };
  /** Where a contact stood in its queue: a callback from its first queueing, its seconds over every turn. */
  const placeOf = (w: Waiting, answeredAt: number) =>
    w.callback
      ? { enqueuedAt: w.callback.firstEnqueuedAt, queueSeconds: Math.round(w.callback.queuedMs / 1000) }
      : { enqueuedAt: w.enqueuedAt, queueSeconds: Math.round((answeredAt - w.enqueuedAt) / 1000) };
  /** An inbound contact the flows offered a callback (their attribute), for the ground truth. */
  const offeredOf = (attributes: Readonly<Record<string, string>>, record: RecordContact) =>
    attributes.callbackOffered === 'true' && attributes.queueArn
      ? { callbackOffered: { queue: attributes.queueArn, at: record.initiatedAt } }
      : {};
  /**
   * The citizen did not answer the agent's call: after the ring and a note the agent is free, and the
   * callback waits `retryDelaySeconds` for its next turn — or, its attempts spent, ends unanswered.
   */
  const unanswered = (
    w: Waiting,
    a: AgentState,
    cb: NonNullable<Waiting['callback']>,
    answeredAt: number,
  ) => {
    agenda.push(now + CALLBACK_RING_SECONDS * 1000, () => {
      const afterContactStart = now;
      a.contactState = 'ENDED';
      a.contactSince = now;
      agentEmit(a, 'STATE_CHANGE');
      agenda.push(now + CALLBACK_NOTE_SECONDS * 1000, () => {
        const last = cb.attempts >= cb.settings.maxAttempts;
        if (last) {
          deps.emit(
            contactEvent(w.record, 'DISCONNECTED', afterContactStart, {
              queue: w.queue,
              disconnectReason: 'AGENT_DISCONNECT',
            }),
            w.contact.contactId,
          );
          complete(a, w, {
            answeredAt,
            talkSeconds: CALLBACK_RING_SECONDS,
            holdSeconds: 0,
            afterContactStart,
            afterContactSeconds: CALLBACK_NOTE_SECONDS,
            disconnectReason: 'AGENT_DISCONNECT',
          });
          finish({
            contact: w.contact,
            result: 'callback-failed',
            callback: true,
            queue: w.queue,
            ...placeOf(w, answeredAt),
            handleSeconds: CALLBACK_RING_SECONDS + CALLBACK_NOTE_SECONDS,
          });
        } else {
          a.onContact = undefined;
          a.contactState = undefined;
          scheduleCallback({ ...w, answered: false }, cb.settings.retryDelaySeconds);
        }
        a.idleSince = now;
        a.statusSince = now;
        agentEmit(a, 'STATE_CHANGE');
        scheduleHeartbeat(a);
        freeAgent(a);
        if (nothingLeft()) goHome();
      });
    });
  };
  /** A callback contact joins its queue after `delaySeconds`: no patience, it waits for its turn. */
  const scheduleCallback = (w: Waiting, delaySeconds: number) => {
    scheduledCallbacks.add(w);
    agenda.push(now + delaySeconds * 1000, () => {
      scheduledCallbacks.delete(w);
      const queued: Waiting = { ...w, enqueuedAt: now, answered: false };
      if (queued.callback!.attempts === 0) queued.callback!.firstEnqueuedAt = now;
      // Queued once: its turns after an unanswered call are Connect's retries of the same contact.
      if (queued.callback!.attempts === 0)
        deps.emit(
          contactEvent(queued.record, 'QUEUED', now, { queue: queued.queue, enqueuedAt: now }),
          queued.contact.contactId,
        );
      joinQueue(queued);
    });
  };
  const goHome = () => {
    for (const a of agents) if (idle(a) && a.status === 'Available') setStatus(a, 'Offline');
  };

  // ---- contacts
  /** The caller hangs up, in a queue (abandoned) or still in the flows. */
  const hangUp = (record: RecordContact, contactId: string, queued?: Waiting) => {
    deps.emit(
      contactEvent(
        record,
        'DISCONNECTED',
        now,
        queued ? { queue: queued.queue } : { disconnectReason: 'CUSTOMER_DISCONNECT' },
      ),
      contactId,
    );
    deps.emit(
      contactRecord(record, {
        connectedToSystemAt: record.initiatedAt,
        disconnectedAt: now,
        lastUpdateAt: now,
        disconnectReason: 'CUSTOMER_DISCONNECT',
        ...(queued
          ? {
              queue: queued.callback
                ? {
                    arn: queued.queue,
                    enqueuedAt: queued.callback.firstEnqueuedAt,
                    dequeuedAt: now,
                    seconds: Math.round(queued.callback.queuedMs / 1000),
                  }
                : { arn: queued.queue, enqueuedAt: queued.enqueuedAt, dequeuedAt: now },
            }
          : {}),
        attributes: queued?.attributes ?? {},
      }),
      contactId,
    );
  };
  const enqueue = (contact: PlannedContact, record: RecordContact, result: FlowResult) => {
    const w: Waiting = {
      contact,
      record,
      queue: result.queue!,
      enqueuedAt: now,
      attributes: result.attributes,
      answered: false,
    };
    deps.emit(contactEvent(record, 'QUEUED', now, { queue: w.queue, enqueuedAt: now }), contact.contactId);
    const list = joinQueue(w);
    agenda.push(now + contact.patienceSeconds * 1000, () => {
      if (w.answered) return;
      list.splice(list.indexOf(w), 1);
      hangUp(record, contact.contactId, w);
      finish({
        contact,
        result: 'abandoned',
        queue: w.queue,
        enqueuedAt: w.enqueuedAt,
        queueSeconds: contact.patienceSeconds,
        ...offeredOf(w.attributes, record),
      });
      if (nothingLeft()) goHome();
    });
  };
  /** A contact takes its place at the back of its queue and goes to an idle agent who serves it, if any. */
  const joinQueue = (w: Waiting) => {
    const list = waiting.get(w.queue) ?? [];
    waiting.set(w.queue, list);
    list.push(w);
    // The agent idle longest among those who serve this queue.
    let best: AgentState | undefined;
    for (const a of agents)
      if (
        a.status === 'Available' &&
        !a.onContact &&
        a.plan.agent.profile.queues.includes(w.queue) &&
        (!best || a.idleSince < best.idleSince)
      )
        best = a;
    if (best && !w.answered) connect(w, best);
    return list;
  };

  deps.contacts.forEach((contact) =>
    agenda.push(at(contact.arrival), async () => {
      arrived++;
      inFlows++;
      startFlowsUpTo(contact.index + lookahead);
      const medium = MEDIA[contact.medium];
      const record: RecordContact = {
        contactId: contact.contactId,
        channel: medium.channel,
        ...(medium.subtype ? { subtype: medium.subtype } : {}),
        ...(contact.phone ? { phone: contact.phone } : {}),
        initiatedAt: now,
      };
      deps.emit(contactEvent(record, 'INITIATED', now), contact.contactId);
      deps.emit(contactEvent(record, 'CONNECTED_TO_SYSTEM', now), contact.contactId);
      inFlow.set(contact.contactId, { contact, record });
      agenda.push(now + contact.flowSeconds * 1000, async () => {
        let result: FlowResult;
        try {
          result = await flows[contact.index]!;
        } catch (error) {
          inFlow.delete(contact.contactId);
          inFlows--;
          deps.emit(
            contactEvent(record, 'DISCONNECTED', now, { disconnectReason: 'OTHER' }),
            contact.contactId,
          );
          finish({ contact, result: 'lost', reason: (error as Error).message });
          return;
        }
        inFlow.delete(contact.contactId);
        inFlows--;
        if (result.queue) return enqueue(contact, record, result);
        const callbackId = result.callback ? `${contact.contactId}-cb` : undefined;
        deps.emit(
          contactEvent(record, 'DISCONNECTED', now, { disconnectReason: 'CONTACT_FLOW_DISCONNECT' }),
          contact.contactId,
        );
        deps.emit(
          contactRecord(record, {
            connectedToSystemAt: record.initiatedAt,
            disconnectedAt: now,
            lastUpdateAt: now,
            disconnectReason: 'CONTACT_FLOW_DISCONNECT',
            ...(callbackId ? { nextContactId: callbackId } : {}),
            attributes: result.attributes,
          }),
          contact.contactId,
        );
        finish({
          contact,
          result: result.callback ? 'callback-requested' : 'self-service',
          ...offeredOf(result.attributes, record),
          ...(result.callback
            ? { callbackRequested: { queue: result.callback.queue, at: record.initiatedAt } }
            : {}),
        });
        if (result.callback && callbackId) {
          // Connect's callback contact: its own id, the inbound one as its previous, the number to call.
          const callbackRecord: RecordContact = {
            contactId: callbackId,
            channel: 'VOICE',
            phone: result.callback.number,
            initiatedAt: now,
            callbackOf: contact.contactId,
          };
          deps.emit(contactEvent(callbackRecord, 'INITIATED', now), callbackId);
          scheduleCallback(
            {
              contact,
              record: callbackRecord,
              queue: result.callback.queue,
              enqueuedAt: now,
              attributes: result.attributes,
              answered: false,
              callback: { settings: result.callback, attempts: 0, firstEnqueuedAt: 0, queuedMs: 0 },
            },
            result.callback.initialDelaySeconds,
          );
        }
        if (nothingLeft()) goHome();
      });
    }),
  );
  for (const plan of deps.agents)
    agenda.push(at(plan.loginAt), () => {
      const a: AgentState = {
        plan,
        status: 'Offline',
        statusSince: now,
        idleSince: now,
        contactSince: now,
        lastEventAt: 0,
        sequence: 0,
        generation: 0,
        tookBreak: false,
      };
      agents.push(a);
      agentEmit(a, 'LOGIN');
      setStatus(a, 'Available');
      pickContact(a);
    });
  const every = deps.every;
  if (every) {
    const tick = async () => {
      await every.run(now, probe);
      if (now + every.seconds * 1000 <= end) agenda.push(now + every.seconds * 1000, tick);
    };
    agenda.push(deps.start + every.seconds * 1000, tick);
  }
  agenda.push(end, () => {
    closing = true;
    if (nothingLeft()) goHome();
  });

  while (agenda.size && !deps.signal?.aborted) {
    const next = agenda.pop();
    if (deps.pace && next.at > now) await deps.pace(next.at);
    if (deps.signal?.aborted) break;
    now = Math.max(now, next.at);
    await next.run();
  }
  if (deps.signal?.aborted) {
    // Ctrl-C: end everything that is under way, at the simulated time reached.
    const seconds = (since: number) => Math.max(0, Math.round((now - since) / 1000));
    for (const { contact, record } of inFlow.values()) {
      hangUp(record, contact.contactId);
      finish({ contact, result: 'self-service', reason: 'stopped' });
    }
    for (const list of waiting.values())
      for (const w of list.splice(0)) {
        if (w.callback) w.callback.queuedMs += now - w.enqueuedAt;
        hangUp(w.record, w.contact.contactId, w);
        finish({
          contact: w.contact,
          result: 'abandoned',
          reason: 'stopped',
          queue: w.queue,
          ...placeOf(w, now),
          ...(w.callback ? { callback: true } : offeredOf(w.attributes, w.record)),
        });
      }
    // Callbacks not yet in their queue are stopped too (first turn: never queued, so never counted).
    for (const w of scheduledCallbacks) {
      deps.emit(
        contactEvent(w.record, 'DISCONNECTED', now, { disconnectReason: 'API' }),
        w.contact.contactId,
      );
      finish({ contact: w.contact, result: 'abandoned', reason: 'stopped', callback: true });
    }
    scheduledCallbacks.clear();
    for (const a of agents) {
      const w = a.onContact;
      if (w) {
        const c = w.contact;
        const talking = a.contactState === 'CONNECTED';
        const answeredAt = w.answeredAt ?? now;
        const talkSeconds = talking ? seconds(a.contactSince) : c.talkSeconds;
        const holdSeconds = talking ? 0 : c.holdSeconds;
        const afterContactStart = talking ? now : a.contactSince;
        const afterContactSeconds = talking ? 0 : seconds(a.contactSince);
        if (talking)
          deps.emit(
            contactEvent(w.record, 'DISCONNECTED', now, {
              queue: w.queue,
              disconnectReason: 'CUSTOMER_DISCONNECT',
            }),
            c.contactId,
          );
        complete(a, w, {
          answeredAt,
          talkSeconds,
          holdSeconds,
          afterContactStart,
          afterContactSeconds,
          disconnectReason: 'CUSTOMER_DISCONNECT',
        });
        finish({
          contact: c,
          result: 'handled',
          reason: 'stopped',
          queue: w.queue,
          enqueuedAt: w.enqueuedAt,
          queueSeconds: Math.round((answeredAt - w.enqueuedAt) / 1000),
          handleSeconds: talkSeconds + holdSeconds + afterContactSeconds,
        });
      }
      if (a.status !== 'Offline') setStatus(a, 'Offline');
    }
    // The flows already started may still be writing their cases: let them finish.
    await Promise.allSettled(flows);
    return outcomes;
  }
  // Anyone still logged in when nothing is left to happen (e.g. no contact ever came).
  for (const a of agents) if (a.status !== 'Offline' && !a.onContact) setStatus(a, 'Offline');
  return outcomes;
}
