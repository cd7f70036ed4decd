import { App } from 'aws-cdk-lib';
import { buildApp } from './build-app';

/** The CDK app: `npx cdk synth -c config=config/<deployment>` (works offline, no credentials needed). */
const app = new App();
buildApp(app, String(app.node.tryGetContext('config') ?? 'config/city-hall'), {
  ...(process.env.CDK_DEFAULT_ACCOUNT ? { account: process.env.CDK_DEFAULT_ACCOUNT } : {}),
  ...(process.env.CDK_DEFAULT_REGION ? { region: process.env.CDK_DEFAULT_REGION } : {}),
});
app.synth();
