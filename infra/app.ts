import { App } from 'aws-cdk-lib';
import { buildApp } from './build-app';

/**
 * The CDK app: `npx cdk synth -c config=config/<deployment>` (works offline, no credentials needed). The
 * stacks deploy to the account and region of the AWS profile in use, unless `-c account=… -c region=…` pins
 * them.
 */
const app = new App();
const context = (key: string) => {
  const value: unknown = app.node.tryGetContext(key);
  return typeof value === 'string' && value ? value : undefined;
};
const account = context('account');
const region = context('region');
buildApp(app, context('config') ?? 'config/city-hall', {
  ...(account ? { account } : {}),
  ...(region ? { region } : {}),
});
app.synth();
