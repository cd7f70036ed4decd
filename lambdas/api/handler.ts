import { S3Client } from '@aws-sdk/client-s3';
import { S3Uploads } from '../../shared/adapters/s3/uploads';
import { AgencyChecks } from '../../shared/adapters/agency/agency-checks';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { ConnectClient } from '@aws-sdk/client-connect';
import { ConnectContactDataEraser } from '../../shared/adapters/connect/contact-data';
import { CognitoStaffDirectory } from '../../shared/adapters/cognito/staff-directory';
import { FileStaffStore } from '../../shared/adapters/file/staff-store';
import { loadRuntime, need } from '../../shared/runtime/runtime';
import { makeApiHandler } from './function';

/** The AWS entry: the function built once, at cold start, from its environment. */
const runtime = loadRuntime(process.env, { service: 'api', dir: __dirname, requestTimeoutMs: 2000 });
const { settings } = runtime;
export const handler = makeApiHandler(runtime, {
  // The user pool in AWS; a local staff store where there is none.
  staff: settings.userPoolId
    ? new CognitoStaffDirectory(
        new CognitoIdentityProviderClient({}),
        settings.userPoolId,
        runtime.config.deployment.departments.map((d) => d.id),
      )
    : new FileStaffStore(need(settings, 'staffFile')),
  // Other agencies' checks, each at its configured address.
  eligibility: new AgencyChecks(runtime.config.deployment.agencyChecks),
  // The citizens' documents, read by staff through presigned links.
  ...(settings.uploadsBucket ? { files: new S3Uploads(new S3Client({}), settings.uploadsBucket) } : {}),
  // An erasure asks Connect to delete its contacts' data; without an instance (locally), it is recorded.
  ...(settings.connectInstanceId
    ? { contactData: new ConnectContactDataEraser(new ConnectClient({}), settings.connectInstanceId) }
    : {}),
});
