import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** What the gateway's secret holds: the API key Ventanilla calls it with, and the key its webhooks are signed with. */
export interface GatewaySecret {
  readonly apiKey: string;
  readonly webhookSecret: string;
}

/**
 * The payment gateway's secret, read from Secrets Manager on first use and kept for the function's life (a
 * rotation reaches new instances). Each value is asked for by name; one not set yet is an error naming it.
 */
export function gatewaySecretOf(
  client: SecretsManagerClient,
  secretArn: string,
): (key: keyof GatewaySecret) => Promise<string> {
  let kept: Promise<Partial<GatewaySecret>> | undefined;
  const read = () =>
    (kept ??= (async () => {
      const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
      return JSON.parse(SecretString ?? '{}') as Partial<GatewaySecret>;
    })().catch((error: unknown) => {
      kept = undefined;
      throw error;
    }));
  return async (key) => {
    const value = (await read())[key];
    if (typeof value !== 'string' || !value) {
      // Set later by hand: read again next time.
      kept = undefined;
      throw new Error(`the payment gateway's secret has no ${key}: set it in Secrets Manager`);
    }
    return value;
  };
}
