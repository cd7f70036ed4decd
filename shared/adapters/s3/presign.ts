import { createHash, createHmac } from 'node:crypto';

/**
 * Signature Version 4 for the two requests a browser makes to the uploads bucket without credentials of its
 * own: a POST of a form whose policy bounds what may be sent (size, type, key), and a GET of one object for a
 * few minutes. Signed here with the function's own credentials, so the bucket stays private.
 */
export interface SigningCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

/** The day's signing key: HMAC of "AWS4"+secret over the day, the region, the service and "aws4_request". */
export function signingKey(secret: string, day: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, day), region), service), 'aws4_request');
}

/** "20261207T140000Z" and its day "20261207". */
export function amzDate(at: Date): { stamp: string; day: string } {
  const stamp = at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  return { stamp, day: stamp.slice(0, 8) };
}

/** A POST policy's form fields: the policy (base64) and its signature, with the fields the policy names. */
export function presignPost(input: {
  credentials: SigningCredentials;
  region: string;
  bucket: string;
  key: string;
  contentType: string;
  maxBytes: number;
  expiresSeconds: number;
  now: Date;
}): { url: string; fields: Record<string, string> } {
  const { credentials, region, now } = input;
  const { stamp, day } = amzDate(now);
  const credential = `${credentials.accessKeyId}/${day}/${region}/s3/aws4_request`;
  const fields: Record<string, string> = {
    key: input.key,
    'Content-Type': input.contentType,
    'x-amz-algorithm': 'AWS4-HMAC-SHA256',
    'x-amz-credential': credential,
    'x-amz-date': stamp,
    ...(credentials.sessionToken ? { 'x-amz-security-token': credentials.sessionToken } : {}),
  };
  const policy = {
    expiration: new Date(now.getTime() + input.expiresSeconds * 1000).toISOString(),
    conditions: [
      { bucket: input.bucket },
      ['content-length-range', 1, input.maxBytes],
      ...Object.entries(fields).map(([name, value]) => ({ [name]: value })),
    ],
  };
  const encoded = Buffer.from(JSON.stringify(policy), 'utf8').toString('base64');
  return {
    url: `https://${input.bucket}.s3.${region}.amazonaws.com/`,
    fields: {
      ...fields,
      policy: encoded,
      'x-amz-signature': hmac(signingKey(credentials.secretAccessKey, day, region, 's3'), encoded).toString(
        'hex',
      ),
    },
  };
}

const encode = (value: string) =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** A GET of one object, good for `expiresSeconds`, signed in its query string (only the host header signed). */
export function presignGet(input: {
  credentials: SigningCredentials;
  region: string;
  host: string;
  key: string;
  expiresSeconds: number;
  now: Date;
  /** Extra query parameters (e.g. response-content-type), signed with the rest. */
  query?: Readonly<Record<string, string>>;
}): string {
  const { credentials, region } = input;
  const { stamp, day } = amzDate(input.now);
  const scope = `${day}/${region}/s3/aws4_request`;
  const params: Record<string, string> = {
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Credential': `${credentials.accessKeyId}/${scope}`,
    'X-Amz-Date': stamp,
    'X-Amz-Expires': String(input.expiresSeconds),
    ...(credentials.sessionToken ? { 'X-Amz-Security-Token': credentials.sessionToken } : {}),
    'X-Amz-SignedHeaders': 'host',
    ...input.query,
  };
  const query = Object.keys(params)
    .sort()
    .map((k) => `${encode(k)}=${encode(params[k]!)}`)
    .join('&');
  const path = `/${input.key.split('/').map(encode).join('/')}`;
  const canonical = ['GET', path, query, `host:${input.host}`, '', 'host', 'UNSIGNED-PAYLOAD'].join('\n');
  const toSign = [
    'AWS4-HMAC-SHA256',
    stamp,
    scope,
    createHash('sha256').update(canonical).digest('hex'),
  ].join('\n');
  const signature = hmac(signingKey(credentials.secretAccessKey, day, region, 's3'), toSign).toString('hex');
  return `https://${input.host}${path}?${query}&X-Amz-Signature=${signature}`;
}
