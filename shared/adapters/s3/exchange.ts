import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

/**
 * The bucket the back office exchanges files through: exports written under `exports/`, answer files
 * uploaded under `imports/<department>/`, import reports written under `reports/`.
 */
export class S3Exchange {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async put(key: string, body: string, contentType: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }),
    );
  }

  async text(key: string, maxBytes: number): Promise<string> {
    const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    if ((out.ContentLength ?? 0) > maxBytes)
      throw new Error(`${key} is larger than ${maxBytes} bytes; split it`);
    return (await out.Body?.transformToString('utf-8')) ?? '';
  }
}

/** Where an export's files go: `exports/<date>/<department>/<batch>.csv|.json`. */
export const exportKeys = (date: string, department: string, batchId: string) => {
  const base = `exports/${date}/${department}/${batchId.replace(/:/g, '-')}`;
  return { csv: `${base}.csv`, json: `${base}.json` };
};

/**
 * An answer file's department, from its key `imports/<department>/<name>.csv`, and where its report goes.
 * Undefined for keys outside that shape.
 */
export function importOf(key: string): { department: string; report: string; dryRun: boolean } | undefined {
  const match = /^imports\/([a-z0-9-]+)\/(dry-run\/)?([^/]+\.csv)$/i.exec(key);
  if (!match) return undefined;
  const [, department, dry, name] = match;
  return {
    department: department!,
    dryRun: dry !== undefined,
    report: `reports/${department}/${dry ? 'dry-run/' : ''}${name!.replace(/\.csv$/i, '')}.report.json`,
  };
}
