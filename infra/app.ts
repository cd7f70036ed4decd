import { App } from 'aws-cdk-lib';
import { loadConfig } from '../shared/config/load';
import { DataStack } from './stacks/data-stack';

/** The CDK app: `npx cdk synth -c config=config/<deployment>` (works offline, no credentials needed). */
const app = new App();
const configDir = String(app.node.tryGetContext('config') ?? 'config/city-hall');
const { deployment } = loadConfig(configDir);
const prefix = `Ventanilla-${deployment.id}`;

new DataStack(app, `${prefix}-data`, {
  description: `Ventanilla ${deployment.name.en}: tables`,
  ...(process.env.CDK_DEFAULT_ACCOUNT
    ? { env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION } }
    : {}),
});
app.synth();
