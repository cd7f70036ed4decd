import { SearchContactsCommand, StopContactCommand, type ConnectClient } from '@aws-sdk/client-connect';
import type { CallbackContacts } from '../../domain/callbacks';

/**
 * Stops the callback contact Connect queued for a request: found by SearchContacts among the callback
 * contacts initiated since the request (the one whose PreviousContactId is the inbound contact that asked
 * for it, not yet disconnected), then StopContact. None found: it was already made or stopped.
 */
export class ConnectCallbackContacts implements CallbackContacts {
  constructor(
    private readonly client: ConnectClient,
    private readonly instanceId: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async cancel(request: { number: string; previousContactId: string; requestedAt: string }): Promise<void> {
    let NextToken: string | undefined;
    do {
      const page = await this.client.send(
        new SearchContactsCommand({
          InstanceId: this.instanceId,
          TimeRange: {
            Type: 'INITIATION_TIMESTAMP',
            StartTime: new Date(Date.parse(request.requestedAt) - 60_000),
            EndTime: this.now(),
          },
          SearchCriteria: { InitiationMethods: ['CALLBACK'] },
          MaxResults: 100,
          NextToken,
        }),
      );
      const callback = page.Contacts?.find(
        (c) => c.PreviousContactId === request.previousContactId && !c.DisconnectTimestamp,
      );
      if (callback?.Id) {
        await this.client.send(
          new StopContactCommand({ InstanceId: this.instanceId, ContactId: callback.Id }),
        );
        return;
      }
      NextToken = page.NextToken;
    } while (NextToken);
  }
}

/** Locally: what would have been stopped, in order. */
export class RecordedCallbackContacts implements CallbackContacts {
  readonly cancelled: { readonly previousContactId: string; readonly requestedAt: string }[] = [];
  async cancel(request: { previousContactId: string; requestedAt: string }): Promise<void> {
    this.cancelled.push({ previousContactId: request.previousContactId, requestedAt: request.requestedAt });
  }
}
