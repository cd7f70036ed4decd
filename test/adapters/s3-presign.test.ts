import { createHmac } from 'node:crypto';
import { presignGet, presignPost, signingKey } from '../../shared/adapters/s3/presign';

const EXAMPLE = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};

describe('Signature Version 4 for browser uploads and reads', () => {
  // The S3 documentation's worked example: it checks the signing key, the canonical request and the query.
  it('presigns a GET as the S3 documentation’s example (examplebucket/test.txt, a day)', () => {
    const url = presignGet({
      credentials: EXAMPLE,
      region: 'us-east-1',
      host: 'examplebucket.s3.amazonaws.com',
      key: 'test.txt',
      expiresSeconds: 86_400,
      now: new Date('2013-05-24T00:00:00Z'),
    });
    expect(url).toBe(
      'https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404',
    );
  });

  it('bounds a POST by its policy: the bucket, the exact key and type, the size, the expiry, the session', () => {
    const { url, fields } = presignPost({
      credentials: { ...EXAMPLE, sessionToken: 'token-1' },
      region: 'us-east-1',
      bucket: 'uploads-bucket',
      key: 'uploads/abc123',
      contentType: 'application/pdf',
      maxBytes: 5_242_880,
      expiresSeconds: 900,
      now: new Date('2026-12-07T14:00:00Z'),
    });
    expect(url).toBe('https://uploads-bucket.s3.us-east-1.amazonaws.com/');
    const policy = JSON.parse(Buffer.from(fields.policy!, 'base64').toString('utf8'));
    expect(policy).toEqual({
      expiration: '2026-12-07T14:15:00.000Z',
      conditions: [
        { bucket: 'uploads-bucket' },
        ['content-length-range', 1, 5_242_880],
        { key: 'uploads/abc123' },
        { 'Content-Type': 'application/pdf' },
        { 'x-amz-algorithm': 'AWS4-HMAC-SHA256' },
        { 'x-amz-credential': 'AKIAIOSFODNN7EXAMPLE/20261207/us-east-1/s3/aws4_request' },
        { 'x-amz-date': '20261207T140000Z' },
        { 'x-amz-security-token': 'token-1' },
      ],
    });
    const key = signingKey(EXAMPLE.secretAccessKey, '20261207', 'us-east-1', 's3');
    expect(fields['x-amz-signature']).toBe(createHmac('sha256', key).update(fields.policy!).digest('hex'));
  });
});
