import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  NotFound,
  NoSuchKey,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { FileStore, UploadOffer } from '../../domain/documents';
import { presignGet, presignPost } from './presign';

const OFFER_SECONDS = 15 * 60;
const LINK_SECONDS = 5 * 60;

/**
 * The citizens' files in the uploads bucket (private, encrypted, its files ending by lifecycle with the
 * schedule's `document` term): a presigned POST bounded to one key, type and size to send one, a range read
 * of its first bytes to check what it is, a presigned GET for staff to read it for a few minutes.
 */
export class S3Uploads implements FileStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private async signing() {
    const [credentials, region] = await Promise.all([
      this.client.config.credentials(),
      this.client.config.region(),
    ]);
    return { credentials, region };
  }

  async offer(key: string, contentType: string, maxBytes: number): Promise<UploadOffer> {
    const { credentials, region } = await this.signing();
    const now = this.now();
    const { url, fields } = presignPost({
      credentials,
      region,
      bucket: this.bucket,
      key,
      contentType,
      maxBytes,
      expiresSeconds: OFFER_SECONDS,
      now,
    });
    return {
      method: 'POST',
      url,
      fields,
      maxBytes,
      expiresAt: new Date(now.getTime() + OFFER_SECONDS * 1000).toISOString(),
    };
  }

  async peek(key: string, bytes: number) {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      const part = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: `bytes=0-${bytes - 1}` }),
      );
      return {
        size: head.ContentLength ?? 0,
        start: (await part.Body?.transformToByteArray()) ?? new Uint8Array(),
      };
    } catch (error) {
      if (error instanceof NotFound || error instanceof NoSuchKey) return undefined;
      throw error;
    }
  }

  async link(key: string, contentType: string): Promise<string> {
    const { credentials, region } = await this.signing();
    return presignGet({
      credentials,
      region,
      host: `${this.bucket}.s3.${region}.amazonaws.com`,
      key,
      expiresSeconds: LINK_SECONDS,
      now: this.now(),
      query: { 'response-content-type': contentType, 'response-content-disposition': 'inline' },
    });
  }

  async remove(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }
}
