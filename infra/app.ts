import { App } from 'aws-cdk-lib';
import { compileConfig } from '../shared/config/load';
import { ContactCenterStack } from './stacks/contact-center-stack';
import { DataStack } from './stacks/data-stack';

/** The CDK app: `npx cdk synth -c config=config/<deployment>` (works offline, no credentials needed). */
const app = new App();
const configDir = String(app.node.tryGetContext('config') ?? 'config/city-hall');
const config = compileConfig(configDir);
const { deployment } = config;
const prefix = `Ventanilla-${deployment.id}`;
const env = process.env.CDK_DEFAULT_ACCOUNT
  ? { env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION } }
  : {};

const data = new DataStack(app, `${prefix}-data`, {
  description: `Ventanilla ${deployment.name.en}: tables and event stream`,
  ...env,
});
new ContactCenterStack(app, `${prefix}-contact-center`, {
  description: `Ventanilla ${deployment.name.en}: Amazon Connect, flows and the functions they call`,
  config,
  tables: data.data.tables,
  stream: data.events.stream,
  ...env,
});
app.synth();
