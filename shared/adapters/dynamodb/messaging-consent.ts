import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ConsentChange, ConsentState, MessagingConsent } from '../../domain/consent';

/** The item of a number's consent: keyed by a digest of the number, which itself is not kept. */
export const consentKey = (to: string) => ({
  pk: `CONSENT#${createHash('sha256').update(to).digest('hex')}`,
  sk: 'MESSAGES',
});

/**
 * Consent in the citizens table (`CONSENT#<sha-256 of the number>`, `MESSAGES`): whether proactive messages
 * are stopped, and every change with its time and channel. It does not expire: a citizen's "stop" holds until
 * they say otherwise. A change is one conditional update, made only when it changes the state, so a keyword
 * sent twice is recorded once and two at once cannot interleave.
 */
export class DynamoMessagingConsent implements MessagingConsent {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async change(to: string, change: ConsentChange): Promise<ConsentState> {
    try {
      const { Attributes } = await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: consentKey(to),
          UpdateExpression:
            'SET optedOut = :out, changes = list_append(if_not_exists(changes, :none), :change)',
          ConditionExpression: 'attribute_not_exists(optedOut) OR optedOut <> :out',
          ExpressionAttributeValues: {
            ':out': change.optedOut,
            ':none': [],
            ':change': [{ optedOut: change.optedOut, channel: change.channel, at: change.at }],
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return stateOf(Attributes);
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // Already in that state: nothing to record.
      return stateOf(await this.read(to));
    }
  }

  async optedOut(to: string): Promise<boolean> {
    return (await this.read(to))?.optedOut === true;
  }

  private async read(to: string) {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: consentKey(to), ConsistentRead: true }),
    );
    return Item;
  }
}

function stateOf(item: Record<string, unknown> | undefined): ConsentState {
  return {
    optedOut: item?.optedOut === true,
    changes: ((item?.changes as ConsentChange[] | undefined) ?? []).map((c) => ({
      optedOut: c.optedOut,
      channel: c.channel,
      at: c.at,
    })),
  };
}
