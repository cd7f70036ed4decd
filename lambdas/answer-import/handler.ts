import { S3Client } from '@aws-sdk/client-s3';
import { S3Exchange } from '../../shared/adapters/s3/exchange';
import { loadRuntime, need } from '../../shared/runtime/runtime';
import { makeAnswerImportHandler } from './function';

/** The AWS entry: the function built once, at cold start, from its environment. */
const runtime = loadRuntime(process.env, {
  service: 'answer-import',
  dir: __dirname,
  requestTimeoutMs: 5000,
});
export const handler = makeAnswerImportHandler(runtime, {
  exchange: new S3Exchange(new S3Client({}), need(runtime.settings, 'exchangeBucket')),
});
