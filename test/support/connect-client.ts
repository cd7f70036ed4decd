import { ConnectClient } from '@aws-sdk/client-connect';

/**
 * The Connect control plane cannot run here: a client whose HTTP handler records each request and answers as
 * Connect does, so what is checked is the request the real SDK serialises from our adapters.
 */
export function recordingClient() {
  const requests: { path: string; body: Record<string, unknown> }[] = [];
  const client = new ConnectClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    requestHandler: {
      handle: async (request: { path: string; body?: unknown }) => {
        requests.push({
          path: request.path,
          body: JSON.parse(
            typeof request.body === 'string'
              ? request.body
              : new TextDecoder().decode(request.body as Uint8Array),
          ),
        });
        const { Readable } = await import('node:stream');
        return {
          response: {
            statusCode: 200,
            headers: { 'content-type': 'application/json' },
            body: Readable.from([Buffer.from(JSON.stringify({ ContactId: 'c-1' }))]),
          },
        };
      },
    },
  });
  return { client, requests };
}
