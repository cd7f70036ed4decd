import { randomUUID } from 'node:crypto';
import { LOCAL } from './contact-center';
import type { CallerEvent, LocalDesk } from './desk';
import { runContact, type CreatedCallback, type FlowEngineDeps } from './flow-engine';
import { contactEvent, contactRecord, type RecordContact } from './simulator/connect-records';

/**
 * The local telephone network: a person places a contact (a call, a web chat, an SMS or WhatsApp
 * conversation) from `npm run call` or the caller page; it runs the generated flows with the production
 * functions, asking the person for keys and words as the flow needs them, and a contact the flows leave in a
 * queue goes to the local routing (`desk.ts`), where a signed-in agent takes it. What Connect would stream
 * about the contact (its events and, at the end, its record) goes to the stream.
 */

export const PHONE_CHANNELS = {
  voice: { channel: 'VOICE', flow: LOCAL.voiceFlow },
  /** A call to the status line's number: the ticket status flow. */
  'status-line': { channel: 'VOICE', flow: LOCAL.statusFlow },
  sms: { channel: 'CHAT', subtype: 'connect:SMS', flow: LOCAL.textFlow },
  whatsapp: { channel: 'CHAT', subtype: 'connect:WhatsApp', flow: LOCAL.textFlow },
  chat: { channel: 'CHAT', flow: LOCAL.textFlow },
} as const satisfies Record<string, { channel: 'VOICE' | 'CHAT'; subtype?: string; flow: string }>;
export type PhoneChannel = keyof typeof PHONE_CHANNELS;

/** What the caller's side sees: the flow's prompts and their own input, questions, and then the routing. */
export type PhoneEvent =
  | { readonly type: 'line'; readonly text: string }
  | { readonly type: 'ask'; readonly kind: 'keys' | 'text' }
  | CallerEvent;

export interface PlaceContact {
  readonly channel: PhoneChannel;
  /** The caller's number (none for a web chat). */
  readonly from?: string;
  /** Keys and messages to answer the flow's first questions with; the rest are asked. */
  readonly keys?: readonly string[];
  readonly says?: readonly string[];
}

interface Call {
  readonly contactId: string;
  readonly record: RecordContact;
  readonly events: PhoneEvent[];
  readonly listeners: Set<(event: PhoneEvent, index: number) => void>;
  readonly typed: string[];
  asking?: (answer: string | undefined) => void;
  stage: 'flow' | 'routing' | 'ended';
  hungUp: boolean;
  /** The callback contact its flow created. */
  callbackId?: string;
}

export class PhoneError extends Error {
  constructor(
    readonly code: 'NO_SUCH_CONTACT' | 'INVALID_INPUT',
    message: string,
  ) {
    super(message);
    this.name = 'PhoneError';
  }
}

export function localPhone(deps: {
  readonly engine: FlowEngineDeps;
  readonly desk: LocalDesk;
  readonly emit: (payload: unknown, partitionKey: string) => void;
  readonly now?: () => number;
  /** How long the flow waits for the person's answer before it hears silence. */
  readonly askTimeoutMs?: number;
  /** How long an ended contact can still be read (a page reloading, a slow terminal). */
  readonly keepMs?: number;
}) {
  const now = deps.now ?? Date.now;
  const askTimeoutMs = deps.askTimeoutMs ?? 60_000;
  const keepMs = deps.keepMs ?? 10 * 60_000;
  const calls = new Map<string, Call>();

  const push = (call: Call, event: PhoneEvent) => {
    call.events.push(event);
    const index = call.events.length - 1;
    if (event.type === 'ended') {
      call.stage = 'ended';
      setTimeout(() => calls.delete(call.contactId), keepMs).unref();
    }
    for (const listener of call.listeners) listener(event, index);
  };
  /** The contact ends without a person: in the flows (self-service, hung up, or a failure). */
  const endInFlows = (call: Call, reason: string, attributes: Readonly<Record<string, string>>) => {
    const at = now();
    deps.emit(contactEvent(call.record, 'DISCONNECTED', at, { disconnectReason: reason }), call.contactId);
    deps.emit(
      contactRecord(call.record, {
        ...(call.callbackId ? { nextContactId: call.callbackId } : {}),
        connectedToSystemAt: call.record.initiatedAt,
        disconnectedAt: at,
        lastUpdateAt: at,
        disconnectReason: reason,
        attributes,
      }),
      call.contactId,
    );
    push(call, { type: 'ended', by: reason === 'CUSTOMER_DISCONNECT' ? 'customer' : 'system' });
  };

  /**
   * The callback contact the flow created: after its delay it waits in its queue like any contact, and the
   * agent who takes it sees it as a callback to the number asked for (locally, nobody is rung).
   */
  const queueCallback = (
    call: Call,
    callback: CreatedCallback,
    attributes: Readonly<Record<string, string>>,
  ) => {
    const record: RecordContact = {
      contactId: randomUUID(),
      channel: 'VOICE',
      phone: callback.number,
      initiatedAt: now(),
      callbackOf: call.contactId,
    };
    call.callbackId = record.contactId;
    deps.emit(contactEvent(record, 'INITIATED', record.initiatedAt), record.contactId);
    setTimeout(
      () => deps.desk.enqueue(record, callback.queue, attributes, () => undefined),
      callback.initialDelaySeconds * 1000,
    ).unref();
  };

  const callOf = (contactId: string) => {
    const call = calls.get(contactId);
    if (!call) throw new PhoneError('NO_SUCH_CONTACT', `no contact ${contactId} on this line`);
    return call;
  };

  return {
    /** Places a contact and starts its flow; answers with its id at once. */
    place(request: PlaceContact): { contactId: string } {
      const medium = PHONE_CHANNELS[request.channel];
      if (!medium)
        throw new PhoneError('INVALID_INPUT', 'channel: voice, status-line, sms, whatsapp or chat');
      if (request.channel !== 'chat' && !request.from)
        throw new PhoneError('INVALID_INPUT', 'from: the number the contact comes from is required');
      const contactId = randomUUID();
      const record: RecordContact = {
        contactId,
        channel: medium.channel,
        ...('subtype' in medium ? { subtype: medium.subtype } : {}),
        ...(request.from ? { phone: request.from } : {}),
        initiatedAt: now(),
      };
      const call: Call = {
        contactId,
        record,
        events: [],
        listeners: new Set(),
        typed: [],
        stage: 'flow',
        hungUp: false,
      };
      calls.set(contactId, call);
      deps.emit(contactEvent(record, 'INITIATED', record.initiatedAt), contactId);
      deps.emit(contactEvent(record, 'CONNECTED_TO_SYSTEM', record.initiatedAt), contactId);
      const caller = {
        channel: medium.channel,
        ...('subtype' in medium ? { subtype: medium.subtype } : {}),
        ...(request.from ? { phone: request.from } : {}),
        keys: [...(request.keys ?? [])],
        says: [...(request.says ?? [])],
        hear: (line: string) => push(call, { type: 'line', text: line }),
        ask: (_prompt: string, kind: 'keys' | 'text') =>
          new Promise<string | undefined>((resolve) => {
            if (call.hungUp) return resolve(undefined);
            const typed = call.typed.shift();
            if (typed !== undefined) return resolve(typed);
            const timer = setTimeout(() => answer(undefined), askTimeoutMs);
            timer.unref();
            const answer = (value: string | undefined) => {
              clearTimeout(timer);
              call.asking = undefined;
              resolve(value);
            };
            call.asking = answer;
            push(call, { type: 'ask', kind });
          }),
      };
      void runContact(deps.engine, medium.flow, caller, contactId).then(
        (outcome) => {
          if (outcome.callback) queueCallback(call, outcome.callback, outcome.attributes);
          if (call.hungUp) return endInFlows(call, 'CUSTOMER_DISCONNECT', outcome.attributes);
          if (outcome.end.kind !== 'queued')
            return endInFlows(call, 'CONTACT_FLOW_DISCONNECT', outcome.attributes);
          call.stage = 'routing';
          deps.desk.enqueue(record, outcome.end.queue, outcome.attributes, (event) => push(call, event));
          // What the person wrote while the flow was ending reaches the agent with the contact.
          if (medium.channel === 'CHAT')
            for (const text of call.typed.splice(0)) deps.desk.customerSays(contactId, text);
        },
        () => endInFlows(call, 'OTHER', {}),
      );
      return { contactId };
    },
    /** The person presses keys or writes: the flow's answer, or a message for the agent. */
    input(contactId: string, text: string) {
      const call = callOf(contactId);
      if (call.stage === 'ended') throw new PhoneError('NO_SUCH_CONTACT', 'the contact is over');
      if (call.stage === 'flow') {
        if (call.asking) call.asking(text.trim() === '' ? undefined : text.trim());
        else call.typed.push(text);
        return;
      }
      if (call.record.channel !== 'CHAT')
        throw new PhoneError(
          'INVALID_INPUT',
          'a call with a person has no messages: speak (locally, nothing)',
        );
      deps.desk.customerSays(contactId, text);
    },
    hangUp(contactId: string) {
      const call = callOf(contactId);
      if (call.stage === 'ended' || call.hungUp) return;
      call.hungUp = true;
      if (call.stage === 'flow') call.asking?.(undefined);
      else deps.desk.customerHangsUp(contactId);
    },
    /** Everything the contact has said from `from` on, then each new event as it happens. */
    watch(contactId: string, from: number, listener: (event: PhoneEvent, index: number) => void) {
      const call = callOf(contactId);
      call.events.slice(from).forEach((event, i) => listener(event, from + i));
      call.listeners.add(listener);
      return () => call.listeners.delete(listener);
    },
  };
}

export type LocalPhone = ReturnType<typeof localPhone>;
