import { AmazonConnectApp } from '@amazon-connect/app';
import { ContactClient, type BaseContactLifecycleEvent } from '@amazon-connect/contact';
import { VoiceClient } from '@amazon-connect/voice';
import type { ContactEvents, DeskState, PanelContact } from './port';

/** The attributes the panel reads: the flows' opaque ids and flags (never personal data). */
const ATTRIBUTES = ['found', 'lang', 'verified', 'citizenId', 'ticket', 'openCaseTicket', 'topic'];

/**
 * Inside Amazon Connect's agent workspace, as its third-party application: the workspace rings, answers and
 * clears (its own controls), and tells the panel which contact connected and when after-contact work starts.
 * The panel asks only what the application's permissions allow: the contact's details and attributes, and
 * the customer's number on a call.
 */
export function workspaceContactEvents(): ContactEvents {
  const { provider } = AmazonConnectApp.init({ onCreate: async () => undefined });
  const contacts = new ContactClient({ provider });
  const voice = new VoiceClient({ provider });
  let state: DeskState = {};
  const viewOf = async (
    event: BaseContactLifecycleEvent,
    phase: PanelContact['state'],
  ): Promise<PanelContact> => {
    const attributes = await contacts.getAttributes(event.contactId, ATTRIBUTES).catch(() => ({}));
    const isVoice = event.type === 'voice';
    const phone = isVoice
      ? await voice.getInitialCustomerPhoneNumber(event.contactId).catch(() => undefined)
      : undefined;
    return {
      contactId: event.contactId,
      channel: isVoice ? 'VOICE' : 'CHAT',
      ...(event.subtype ? { subtype: event.subtype } : {}),
      ...(phone ? { phone } : {}),
      state: phase,
      attributes: Object.fromEntries(Object.entries(attributes).filter(([, v]) => v !== undefined)) as Record<
        string,
        string
      >,
    };
  };
  return {
    source: 'workspace',
    start(onState) {
      const tell = (next: DeskState) => onState((state = next));
      contacts.onConnected(async (event) => tell({ ...state, contact: await viewOf(event, 'connected') }));
      contacts.onStartingAcw(async (event) =>
        tell({
          ...state,
          contact:
            state.contact?.contactId === event.contactId
              ? { ...state.contact, state: 'after-contact-work' }
              : await viewOf(event, 'after-contact-work'),
        }),
      );
      contacts.onCleared(async (event) => {
        if (state.contact?.contactId === event.contactId) tell({ ...state, contact: undefined });
      });
      contacts.onMissed(async (event) => tell({ ...state, missed: event.contactId }));
    },
  };
}
