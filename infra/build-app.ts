import { Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { compileConfig } from '../shared/config/load';
import { ApplicationStack } from './stacks/application-stack';
import { ContactCenterStack } from './stacks/contact-center-stack';
import { DataStack } from './stacks/data-stack';

/**
 * Every stack of one deployment, checked by cdk-nag's AWS Solutions pack (a finding without a reasoned
 * acknowledgement fails the synth) and by the flow validator (inside the flows construct).
 */
export function buildApp(app: App, configDir: string, env: { account?: string; region?: string } = {}) {
  const config = compileConfig(configDir);
  const { deployment } = config;
  const prefix = `Ventanilla-${deployment.id}`;
  const stackEnv = env.account ? { env } : {};
  const data = new DataStack(app, `${prefix}-data`, {
    description: `Ventanilla ${deployment.name.en}: tables and event stream`,
    ...stackEnv,
  });
  const contactCenter = new ContactCenterStack(app, `${prefix}-contact-center`, {
    description: `Ventanilla ${deployment.name.en}: Amazon Connect, flows and the functions they call`,
    config,
    tables: data.data.tables,
    stream: data.events.stream,
    ...stackEnv,
  });
  const application = new ApplicationStack(app, `${prefix}-application`, {
    description: `Ventanilla ${deployment.name.en}: staff sign-in, API, dashboard hosting and metrics`,
    config,
    metricsTable: data.data.tables.metrics,
    casesTable: data.data.tables.cases,
    citizensTable: data.data.tables.citizens,
    stream: data.events.stream,
    queueArns: contactCenter.queueArns,
    instanceArn: contactCenter.instanceArn,
    contactDataPolicyArn: contactCenter.contactDataPolicy.managedPolicyArn,
    codeSender: {
      policyArn: contactCenter.outbound.codeSenderPolicy.managedPolicyArn,
      flowArn: contactCenter.outbound.outboundMessageFlowArn,
    },
    ...stackEnv,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { data, contactCenter, application };
}
