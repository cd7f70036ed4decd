import {
  DeleteContactDataCommand,
  ResourceNotFoundException,
  type ConnectClient,
} from '@aws-sdk/client-connect';
import { forEachConcurrently } from '../../domain/concurrency';
import type { ContactDataEraser } from '../../domain/erasure';

/**
 * Connect's `DeleteContactData` for each contact: the customer's endpoint redacted from the contact and its
 * record. A contact Connect no longer knows is done; any other refusal (a contact still in progress, a
 * throttle) fails the erasure before anything else is erased, to be asked again.
 */
export class ConnectContactDataEraser implements ContactDataEraser {
  constructor(
    private readonly client: Pick<ConnectClient, 'send'>,
    private readonly instanceId: string,
  ) {}

  async erase(contactIds: readonly string[]): Promise<void> {
    await forEachConcurrently(contactIds, 2, async (contactId) => {
      try {
        await this.client.send(
          new DeleteContactDataCommand({
            InstanceId: this.instanceId,
            ContactId: contactId,
            ContactFields: ['CUSTOMER_ENDPOINT'],
          }),
        );
      } catch (error) {
        if (!(error instanceof ResourceNotFoundException)) throw error;
      }
    });
  }
}
