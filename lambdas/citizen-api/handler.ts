import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { AgencyChecks } from '../../shared/adapters/agency/agency-checks';
import { gatewaySecretOf } from '../../shared/adapters/payments/gateway-secret';
import { HostedCheckoutGateway } from '../../shared/adapters/payments/hosted-checkout';
import { S3Uploads } from '../../shared/adapters/s3/uploads';
import { loadRuntime, need } from '../../shared/runtime/runtime';
import { messageSenderOf } from '../../shared/runtime/message-sender';
import { makeCitizenApiHandler } from './function';

/** The AWS entry: the function built once, at cold start, from its environment. */
const runtime = loadRuntime(process.env, { service: 'citizen-api', dir: __dirname, requestTimeoutMs: 2000 });
const { payments } = runtime.config.deployment;
const { paymentSecretArn } = runtime.settings;
// The gateway's key and webhook secret, read from Secrets Manager on first use; no gateway, no fees by link.
const secret =
  payments && paymentSecretArn ? gatewaySecretOf(new SecretsManagerClient({}), paymentSecretArn) : undefined;
export const handler = makeCitizenApiHandler(runtime, {
  sender: messageSenderOf(runtime),
  eligibility: new AgencyChecks(runtime.config.deployment.agencyChecks),
  files: new S3Uploads(new S3Client({}), need(runtime.settings, 'uploadsBucket')),
  ...(payments && secret
    ? {
        gateway: new HostedCheckoutGateway({
          endpoint: payments.endpoint,
          apiKey: () => secret('apiKey'),
        }),
        webhookSecret: () => secret('webhookSecret'),
      }
    : {}),
});
