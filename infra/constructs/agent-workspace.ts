import { aws_appintegrations as appintegrations, aws_connect as connect } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/**
 * What the agent panel asks of Amazon Connect's agent workspace, and nothing more: the contact it is shown for
 * (its id, channel, and when it connects, goes to after-contact work and is cleared), the customer's number on
 * a call (the screen pop), and the contact's attributes — the flows' opaque ids and flags (citizen id of a
 * verified caller, ticket, verified), which pick whom to show and decide no access (the staff API does). The
 * workspace itself rings, answers, clears and changes the agent's status: no agent permission is asked.
 */
export const AGENT_PANEL_PERMISSIONS = [
  'Contact.Details.View',
  'Contact.CustomerDetails.View',
  'Contact.Attributes.View',
];

/**
 * The agent panel inside Amazon Connect: a third-party application of the agent workspace (AppIntegrations)
 * at the panel's address, associated with the instance, and the panel's origin among the instance's approved
 * origins (for the standalone page that embeds the softphone).
 */
export class AgentWorkspaceApp extends Construct {
  readonly application: appintegrations.CfnApplication;

  constructor(
    scope: Construct,
    id: string,
    props: { readonly instanceArn: string; readonly origin: string; readonly name: string },
  ) {
    super(scope, id);
    this.application = new appintegrations.CfnApplication(this, 'Application', {
      name: props.name,
      namespace: props.name,
      description: 'Ventanilla agent panel: the caller, their cases and the case work',
      applicationSourceConfig: { externalUrlConfig: { accessUrl: `${props.origin}/agent/` } },
      permissions: AGENT_PANEL_PERMISSIONS,
    });
    new connect.CfnIntegrationAssociation(this, 'Association', {
      instanceId: props.instanceArn,
      integrationType: 'APPLICATION',
      integrationArn: this.application.attrApplicationArn,
    });
    new connect.CfnApprovedOrigin(this, 'Origin', { instanceId: props.instanceArn, origin: props.origin });
  }
}
