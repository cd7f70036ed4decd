import {
  StartOutboundChatContactCommand,
  StartTaskContactCommand,
  type ConnectClient,
} from '@aws-sdk/client-connect';
import { MessagingUnavailableError } from '../../domain/errors';
import type { QueueMap } from '../../domain/departments';
import type { FollowUpSink, FollowUpTask } from '../../domain/follow-up';
import type { MessageSender, MessageTexts, OutgoingMessage } from '../../domain/messaging';

/** Connect's idempotency tokens are at most 500 characters; ours are far shorter, this keeps it so. */
const token = (id: string) => id.slice(0, 500);

export interface ConnectMessagingOptions {
  readonly instanceId: string;
  /**
   * The outbound-message flow: it reads the text kept under `$.Attributes.messageRef` (the message's id), says
   * it to the citizen and disconnects.
   */
  readonly flowId: string;
  /** The phone-number ARN each channel leaves from; a channel without one cannot send. */
  readonly sources: { readonly SMS?: string | undefined; readonly WHATSAPP?: string | undefined };
}

/**
 * Sends SMS and WhatsApp messages as outbound chat contacts of Amazon Connect, so they show in the
 * citizen's contact history and in Connect's own records. The text is kept first (MessageTexts) and the
 * contact carries only the message's id, which its flow reads the text by: nothing of the text stays in
 * Connect's 24-month record. The message id is the idempotency token: a retry of the same message starts no
 * second contact.
 */
export class ConnectMessageSender implements MessageSender {
  constructor(
    private readonly client: ConnectClient,
    private readonly texts: MessageTexts,
    private readonly options: ConnectMessagingOptions,
  ) {}

  async send(message: OutgoingMessage): Promise<void> {
    const source = this.options.sources[message.channel];
    if (!source) throw new MessagingUnavailableError(message.channel);
    await this.texts.keep(message);
    await this.client.send(
      new StartOutboundChatContactCommand({
        InstanceId: this.options.instanceId,
        ContactFlowId: this.options.flowId,
        SourceEndpoint: { Type: 'CONNECT_PHONENUMBER_ARN', Address: source },
        DestinationEndpoint: { Type: 'TELEPHONE_NUMBER', Address: message.to },
        SegmentAttributes: {
          'connect:Subtype': {
            ValueString: message.channel === 'WHATSAPP' ? 'connect:WhatsApp' : 'connect:SMS',
          },
        },
        Attributes: {
          ...(message.ticket ? { ticket: message.ticket } : {}),
          messageRef: message.id,
          lang: message.language,
        },
        ChatDurationInMinutes: 60,
        ClientToken: token(message.id),
      }),
    );
  }
}

export interface ConnectTaskOptions {
  readonly instanceId: string;
  /** The follow-up task flow: it queues the task on `$.Attributes.queueArn` (the general queue otherwise). */
  readonly flowId: string;
  /** The queue ARN of each department. */
  readonly queues: Pick<QueueMap, 'queueOf'>;
}

/** Follow-up work as Connect tasks, routed to the department's queue; the task id is the idempotency token. */
export class ConnectTaskSink implements FollowUpSink {
  constructor(
    private readonly client: ConnectClient,
    private readonly options: ConnectTaskOptions,
  ) {}

  async create(task: FollowUpTask): Promise<void> {
    const queueArn = this.options.queues.queueOf(task.departmentId);
    await this.client.send(
      new StartTaskContactCommand({
        InstanceId: this.options.instanceId,
        ContactFlowId: this.options.flowId,
        Name: task.name,
        Description: task.description,
        Attributes: {
          ticket: task.ticket,
          reason: task.reason,
          department: task.departmentId,
          ...(queueArn ? { queueArn } : {}),
        },
        ClientToken: token(task.id),
      }),
    );
  }
}
