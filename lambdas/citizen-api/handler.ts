import { S3Client } from '@aws-sdk/client-s3';
import { S3Uploads } from '../../shared/adapters/s3/uploads';
import { AgencyChecks } from '../../shared/adapters/agency/agency-checks';
import { loadRuntime, need } from '../../shared/runtime/runtime';
import { messageSenderOf } from '../../shared/runtime/message-sender';
import { makeCitizenApiHandler } from './function';

/** The AWS entry: the function built once, at cold start, from its environment. */
const runtime = loadRuntime(process.env, { service: 'citizen-api', dir: __dirname, requestTimeoutMs: 2000 });
export const handler = makeCitizenApiHandler(runtime, {
  sender: messageSenderOf(runtime),
  eligibility: new AgencyChecks(runtime.config.deployment.agencyChecks),
  files: new S3Uploads(new S3Client({}), need(runtime.settings, 'uploadsBucket')),
});
