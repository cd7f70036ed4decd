/**
 * Contact events: the one way the agent panel learns that a contact rings, connects, goes to after-contact
 * work and is cleared, and the one way it asks for those steps — whatever the source: Amazon Connect's agent
 * workspace (its SDK), the standalone page with the softphone (Streams), or the local routing of `npm start`.
 * Each source is an adapter; the panel draws from the `DeskState` they all produce.
 */

export type DeskStatus = 'Available' | 'Break' | 'Offline';

export interface PanelMessage {
  readonly from: 'agent' | 'customer';
  readonly text: string;
  readonly at: string;
}

export interface PanelContact {
  readonly contactId: string;
  readonly channel: 'VOICE' | 'CHAT';
  /** connect:SMS, connect:WhatsApp, … */
  readonly subtype?: string;
  /** The customer's number, when the source gives it. */
  readonly phone?: string;
  /** A queued callback: the agent calls the citizen back, who asked for it on an earlier call. */
  readonly callback?: boolean;
  readonly state: 'ringing' | 'connected' | 'after-contact-work';
  readonly initiatedAt?: string;
  /** The contact attributes the flows set (opaque ids and flags): shown, never trusted for access. */
  readonly attributes: Readonly<Record<string, string>>;
  /** The conversation, for a source that carries it (the local one; in AWS the softphone shows it). */
  readonly messages?: readonly PanelMessage[];
}

export interface DeskState {
  /** The agent's status, when the source tells it. */
  readonly status?: DeskStatus | string;
  readonly contact?: PanelContact;
  /** The id of a contact that rang out unanswered. */
  readonly missed?: string;
}

/** What the panel may ask of the source; a source without a control leaves it to the softphone. */
export interface ContactControls {
  setStatus?(status: DeskStatus): Promise<void>;
  accept?(contactId: string): Promise<void>;
  reject?(contactId: string): Promise<void>;
  send?(contactId: string, text: string): Promise<void>;
  hangUp?(contactId: string): Promise<void>;
  /** Ends after-contact work: the agent is routable again. */
  clear?(contactId: string): Promise<void>;
}

export interface ContactEvents extends ContactControls {
  readonly source: 'local' | 'streams' | 'workspace';
  /** Starts listening; `onState` gets the whole state at once and after every change. */
  start(onState: (state: DeskState) => void): void;
}

/** A refusal the source explains (a contact no longer ringing, a status it does not know). */
export class ContactEventsError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ContactEventsError';
  }
}
