import { Stack, aws_connect as connect } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { LineEntry } from '../../shared/domain/catalogue';
import type { Deployment } from '../../shared/domain/deployment';
import {
  customerQueueFlow,
  followUpTaskFlow,
  outboundMessageFlow,
  inboundTextFlow,
  inboundVoiceFlow,
  statusLineFlow,
  type FlowTargets,
  type GeneratedFlow,
} from '../flows/contact-flows';
import { assertValidFlow } from '../flows/validator';

export interface ContactFlowsProps {
  readonly instanceArn: string;
  readonly deployment: Deployment;
  readonly catalogue: readonly LineEntry[];
  readonly functions: FlowTargets['functions'];
  readonly queues: FlowTargets['queues'];
  readonly generalDepartment: string;
  readonly lexAliases: FlowTargets['lexAliases'];
  /** ARNs of the functions associated with the instance and open to connect.amazonaws.com. */
  readonly connectFunctions: ReadonlySet<string>;
}

/**
 * The flows, generated from the deployment config, validated at synth, and serialised token-aware so the
 * ARNs CloudFormation resolves land inside the content.
 */
const FOLLOW_UP_TASK = 'Follow-up task to the department queue';
const flowName = (description: string) => `Ventanilla ${description}`;

export class ContactFlows extends Construct {
  readonly inboundVoiceArn: string;
  readonly statusLineArn: string;
  readonly inboundTextArn: string;
  /** The flow proactive SMS/WhatsApp messages run. */
  readonly outboundMessageArn: string;
  /** The flow follow-up tasks run: the department's queue, else the general one. */
  readonly followUpTaskArn: string;
  /** Its name, which Connect's flow metrics (ContactFlowErrors) are reported under. */
  readonly followUpTaskName: string;

  constructor(scope: Construct, id: string, props: ContactFlowsProps) {
    super(scope, id);
    const queueFlow = this.flow(
      'customer-queue',
      'CUSTOMER_QUEUE',
      'While a caller waits',
      customerQueueFlow(props.deployment),
      props,
    );
    const partial = {
      functions: props.functions,
      queues: props.queues,
      generalDepartment: props.generalDepartment,
      customerQueueFlow: queueFlow.attrContactFlowArn,
      lexAliases: props.lexAliases,
    };
    const status = this.flow(
      'status-line',
      'CONTACT_FLOW',
      'Ticket status line',
      statusLineFlow(props.deployment, { ...partial, statusLineFlow: '' }),
      props,
    );
    const targets: FlowTargets = { ...partial, statusLineFlow: status.attrContactFlowArn };
    const voice = this.flow(
      'inbound-voice',
      'CONTACT_FLOW',
      'Inbound voice',
      inboundVoiceFlow(props.deployment, props.catalogue, targets),
      props,
    );
    const text = this.flow(
      'inbound-text',
      'CONTACT_FLOW',
      'Inbound chat, SMS and WhatsApp',
      inboundTextFlow(props.deployment, props.catalogue, targets),
      props,
    );
    this.inboundVoiceArn = voice.attrContactFlowArn;
    this.inboundTextArn = text.attrContactFlowArn;
    this.statusLineArn = status.attrContactFlowArn;
    this.outboundMessageArn = this.flow(
      'outbound-message',
      'CONTACT_FLOW',
      'Proactive message (answer or requested link)',
      outboundMessageFlow(props.functions.message),
      props,
    ).attrContactFlowArn;
    this.followUpTaskName = flowName(FOLLOW_UP_TASK);
    this.followUpTaskArn = this.flow(
      'follow-up-task',
      'CONTACT_FLOW',
      FOLLOW_UP_TASK,
      followUpTaskFlow({ queues: props.queues, generalDepartment: props.generalDepartment }),
      props,
      { task: true },
    ).attrContactFlowArn;
  }

  private flow(
    name: string,
    type: string,
    description: string,
    generated: GeneratedFlow,
    props: ContactFlowsProps,
    rules: { task?: boolean } = {},
  ) {
    assertValidFlow(name, generated.flow, {
      ...rules,
      flowType: type,
      // The customer-queue flow plays while a contact waits, which the local simulator models itself.
      runsLocally: type !== 'CUSTOMER_QUEUE',
      menuKeys: generated.menuKeys,
      associatedFunctions: props.connectFunctions,
      permittedFunctions: props.connectFunctions,
    });
    return new connect.CfnContactFlow(this, name, {
      instanceArn: props.instanceArn,
      name: flowName(description),
      description,
      type,
      state: 'ACTIVE',
      content: Stack.of(this).toJsonString(generated.flow),
    });
  }
}
