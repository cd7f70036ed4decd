import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CfnElement,
  Duration,
  RemovalPolicy,
  Stack,
  Validations,
  aws_cloudfront as cloudfront,
  aws_cloudfront_origins as origins,
  aws_s3 as s3,
  aws_s3_deployment as s3deploy,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { pageCsp } from '../../web/csp';
import { writePage, type StaffPage } from '../../web/build';

/** Paths ending in "/" are folders: serve their index.html (S3 has no directory index behind OAC). */
const INDEX_REWRITE = `function handler(event) {
  var request = event.request;
  if (request.uri === '/') request.uri = '/dashboard/index.html';
  else if (request.uri.endsWith('/')) request.uri += 'index.html';
  return request;
}`;

/**
 * The pages' policy in AWS: the API (API Gateway) and the hosted sign-in (Cognito) of the region, and the
 * region's S3 endpoints, where the citizen's page sends documents by presigned POST.
 */
export const DASHBOARD_CSP = (
  region: string,
  frameAncestors: readonly string[] = [],
  frameSources: readonly string[] = [],
) =>
  pageCsp(
    [
      `https://*.execute-api.${region}.amazonaws.com`,
      `https://*.auth.${region}.amazoncognito.com`,
      `https://*.s3.${region}.amazonaws.com`,
    ],
    frameAncestors,
    frameSources,
  );

/** Where Amazon Connect's agent workspace runs, which alone may show the agent panel in a frame. */
export const CONNECT_WORKSPACE_ORIGINS = ['https://*.my.connect.aws', 'https://*.awsapps.com'];

/**
 * The pages' hosting: a private, encrypted bucket reachable only through CloudFront with origin access
 * control, HTTPS only, with access logs for both; each page is built by esbuild at synth and published under
 * its folder (the staff's and the citizen's, `publish`) with a config.json naming the API and, for the staff,
 * the hosted sign-in.
 */
export class DashboardHosting extends Construct {
  readonly bucket: s3.Bucket;
  /** The access-log bucket, which other buckets of the application log into too. */
  readonly accessLogs: s3.Bucket;
  readonly distribution: cloudfront.Distribution;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const logs = (this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    }));
    Validations.of(logs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the access-log bucket itself; logging it into itself would loop.',
    });
    this.bucket = new s3.Bucket(this, 'Site', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'site/',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const origin = origins.S3BucketOrigin.withOriginAccessControl(this.bucket);
    const indexRewrite = new cloudfront.Function(this, 'IndexRewrite', {
      code: cloudfront.FunctionCode.fromInline(INDEX_REWRITE),
      runtime: cloudfront.FunctionRuntime.JS_2_0,
    });
    const region = Stack.of(this).region;
    /** The security headers of the local server; `frameAncestors` may frame the page (none by default). */
    const headers = (
      id: string,
      comment: string,
      frameAncestors: readonly string[] = [],
      frameSources: readonly string[] = [],
    ) =>
      new cloudfront.ResponseHeadersPolicy(this, id, {
        comment,
        securityHeadersBehavior: {
          contentSecurityPolicy: {
            contentSecurityPolicy: DASHBOARD_CSP(region, frameAncestors, frameSources),
            override: true,
          },
          contentTypeOptions: { override: true },
          // Framing is the CSP's to allow; X-Frame-Options cannot name the workspace's origins.
          ...(frameAncestors.length
            ? {}
            : { frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true } }),
          referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
          strictTransportSecurity: {
            accessControlMaxAge: Duration.days(365),
            includeSubdomains: true,
            override: true,
          },
        },
      });
    const behavior = (policy: cloudfront.IResponseHeadersPolicy): cloudfront.BehaviorOptions => ({
      origin,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
      responseHeadersPolicy: policy,
      functionAssociations: [
        { eventType: cloudfront.FunctionEventType.VIEWER_REQUEST, function: indexRewrite },
      ],
    });
    this.distribution = new cloudfront.Distribution(this, 'Cdn', {
      comment: 'Ventanilla staff pages',
      defaultRootObject: 'index.html',
      defaultBehavior: behavior(
        headers('Headers', 'Ventanilla staff pages: the same security headers as the local server'),
      ),
      additionalBehaviors: {
        // The agent panel, which Amazon Connect's agent workspace shows in a frame.
        '/agent/*': behavior(
          // Framed by the workspace; the standalone page frames the instance's softphone.
          headers(
            'AgentHeaders',
            'Ventanilla agent panel: framed by the Connect agent workspace only',
            CONNECT_WORKSPACE_ORIGINS,
            CONNECT_WORKSPACE_ORIGINS,
          ),
        ),
      },
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cdn/',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason:
        'Citizens and staff of a public administration travel and work remotely; no country is blocked.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR2',
      reason:
        'The site is static files behind sign-in; data comes from the JWT-protected API, which is where a WAF would act.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR4',
      reason:
        'Until a custom domain and certificate are configured CloudFront serves its default certificate, whose TLS policy it fixes.',
    });
  }

  /**
   * Publishes each page under its folder (/dashboard/, /agent/, /admin/, /supervision/, /backoffice/, /office/,
   * /citizen/) with its config.json: the API's address and, for a staff page, the hosted sign-in, resolved at
   * deploy time, returning to the page it left.
   */
  publish(config: {
    readonly api: string;
    readonly cognito: { readonly domain: string; readonly clientId: string };
    /** The distribution's origin, `https://…`. */
    readonly origin: string;
    /** The instance's softphone, for the agent's standalone page. */
    readonly ccpUrl?: string;
    readonly pages: readonly StaffPage[];
  }): s3deploy.BucketDeployment[] {
    const deployments = config.pages.map(
      (page) =>
        new s3deploy.BucketDeployment(this, page === 'dashboard' ? 'Publish' : `Publish-${page}`, {
          sources: [
            s3deploy.Source.asset(writePage(page, mkdtempSync(join(tmpdir(), `ventanilla-${page}-`))), {
              exclude: ['config.json'],
            }),
            s3deploy.Source.jsonData(
              'config.json',
              // The citizen's page signs in with a code to the phone, never the staff pool.
              page === 'citizen'
                ? { mode: 'public', api: config.api }
                : {
                    mode: 'cognito',
                    api: config.api,
                    cognito: { ...config.cognito, redirectUri: `${config.origin}/${page}/` },
                    ...(page === 'agent' && config.ccpUrl ? { ccpUrl: config.ccpUrl } : {}),
                  },
            ),
          ],
          destinationBucket: this.bucket,
          destinationKeyPrefix: `${page}/`,
          distribution: this.distribution,
          distributionPaths: [`/${page}/*`],
          memoryLimit: 256,
        }),
    );
    const handler = Stack.of(this).node.children.find((c) =>
      c.node.id.startsWith('Custom::CDKBucketDeployment'),
    );
    if (handler) {
      Validations.of(handler).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason:
          "CDK's bucket-deployment function uses AWSLambdaBasicExecutionRole only to write its own logs.",
      });
      const site = Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnElement);
      for (const action of ['s3:Abort*', 's3:DeleteObject*', 's3:GetBucket*', 's3:GetObject*', 's3:List*'])
        Validations.of(handler).acknowledge({
          id: `AwsSolutions-IAM5[Action::${action}]`,
          reason: `${action} is what the bucket deployment needs to copy the page into the site bucket and prune old files; the statement is scoped to the site and asset buckets.`,
        });
      Validations.of(handler).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${site}.Arn>/*]`,
        reason: 'The deployment writes and prunes the objects of the site bucket, and only those.',
      });
      Validations.of(handler).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]',
        reason: 'The built page is read from the CDK asset bucket, where cdk deploy uploaded it.',
      });
      Validations.of(handler).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          "CloudFront invalidations cannot be scoped to a distribution ARN by the bucket deployment; it invalidates each page's folder only.",
      });
      Validations.of(handler).acknowledge({
        id: 'AwsSolutions-L1',
        reason: "The bucket-deployment function's runtime is chosen and kept current by aws-cdk-lib.",
      });
    }
    return deployments;
  }
}
