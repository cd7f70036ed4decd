import { aws_appintegrations as appintegrations, aws_connect as connect } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/**
 * What the agent panel may ask of Amazon Connect's agent workspace: the contact it is shown for (its id,
 * channel, queue, and when it connects or goes to after-contact work) and the customer's number (the screen
 * pop). Not the contact's attributes: they carry no personal data and decide nothing.
 */
export const AGENT_PANEL_PERMISSIONS = ['Contact.Details.View', 'Contact.CustomerDetails.View'];

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
