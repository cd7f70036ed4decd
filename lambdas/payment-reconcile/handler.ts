import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { gatewaySecretOf } from '../../shared/adapters/payments/gateway-secret';
import { HostedCheckoutGateway } from '../../shared/adapters/payments/hosted-checkout';
import { ConfigError } from '../../shared/domain/errors';
import { loadRuntime, need } from '../../shared/runtime/runtime';
import { makePaymentReconcileHandler } from './function';

/** The AWS entry: the function built once, at cold start, from its environment. */
const runtime = loadRuntime(process.env, {
  service: 'payment-reconcile',
  dir: __dirname,
  requestTimeoutMs: 3000,
});
const { payments } = runtime.config.deployment;
if (!payments) throw new ConfigError('deployment', 'payments', 'the deployment collects no fees');
const secret = gatewaySecretOf(new SecretsManagerClient({}), need(runtime.settings, 'paymentSecretArn'));
export const handler = makePaymentReconcileHandler(runtime, {
  gateway: new HostedCheckoutGateway({
    endpoint: payments.endpoint,
    apiKey: () => secret('apiKey'),
  }),
});
