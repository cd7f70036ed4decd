/// <reference types="amazon-connect-streams" />
import type { ContactEvents, DeskState, DeskStatus, PanelContact } from './port';

/**
 * The standalone page: the Connect softphone (CCP) embedded with amazon-connect-streams, loaded by the page
 * from its own origin. The panel follows the softphone's agent and contact, and can answer, hang up, clear and
 * change status through it; chat messages stay in the softphone.
 */
export function streamsContactEvents(ccpUrl: string, container: HTMLElement): ContactEvents {
  let current: connect.Contact | undefined;
  let agent: connect.Agent | undefined;
  let state: DeskState = {};
  const done = (resolve: () => void, reject: (e: Error) => void) => ({
    success: () => resolve(),
    failure: (error: string) => reject(new Error(error)),
  });
  const viewOf = (contact: connect.Contact): PanelContact => {
    const type = contact.getState().type;
    const attributes = Object.fromEntries(
      Object.entries(contact.getAttributes()).map(([k, v]) => [k, String(v?.value ?? '')]),
    );
    const endpoint = contact.getInitialConnection()?.getEndpoint();
    const subtype = contact.getContactSubtype();
    return {
      contactId: contact.getContactId(),
      channel: contact.getType() === connect.ContactType.CHAT ? 'CHAT' : 'VOICE',
      ...(subtype ? { subtype } : {}),
      ...(contact.getType() === connect.ContactType.QUEUE_CALLBACK ? { callback: true } : {}),
      ...(endpoint?.phoneNumber ? { phone: endpoint.phoneNumber.replace(/^sip:|@.*$/g, '') } : {}),
      state:
        type === connect.ContactStateType.CONNECTED
          ? 'connected'
          : type === connect.ContactStateType.ENDED
            ? 'after-contact-work'
            : 'ringing',
      attributes,
    };
  };
  return {
    source: 'streams',
    start(onState) {
      const tell = (next: DeskState) => onState((state = next));
      connect.core.initCCP(container, {
        ccpUrl,
        loginPopup: true,
        loginPopupAutoClose: true,
        softphone: { allowFramedSoftphone: true },
      });
      connect.agent((a) => {
        agent = a;
        tell({ ...state, status: a.getState().name });
        a.onStateChange((change) => tell({ ...state, status: change.newState }));
      });
      connect.contact((contact) => {
        const follow = () => {
          current = contact;
          tell({ ...state, contact: viewOf(contact) });
        };
        contact.onConnecting(follow);
        contact.onIncoming(follow);
        contact.onConnected(follow);
        contact.onACW(follow);
        contact.onMissed(() => tell({ ...state, contact: undefined, missed: contact.getContactId() }));
        contact.onDestroy(() => {
          if (current?.getContactId() === contact.getContactId()) current = undefined;
          tell({ ...state, contact: undefined });
        });
      });
    },
    setStatus: (status: DeskStatus) =>
      new Promise<void>((resolve, reject) => {
        const target = agent?.getAgentStates().find((s) => s.name === status);
        if (!agent || !target) return reject(new Error(`no agent status "${status}" in this instance`));
        agent.setState(target, done(resolve, reject));
      }),
    accept: () => new Promise<void>((resolve, reject) => current?.accept(done(resolve, reject))),
    reject: () => new Promise<void>((resolve, reject) => current?.reject(done(resolve, reject))),
    hangUp: () =>
      new Promise<void>((resolve, reject) => current?.getAgentConnection().destroy(done(resolve, reject))),
    clear: () => new Promise<void>((resolve, reject) => current?.clear(done(resolve, reject))),
  };
}
