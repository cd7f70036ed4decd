import { makeApiHandler } from '../../lambdas/api/function';
import { demoPasswords } from '../../local/passwords';
import { loadUsers } from '../../local/session';
import { createDocumentClient } from '../../shared/adapters/dynamodb/client';
import { loadConfig } from '../../shared/config/load';
import { createRuntime } from '../../shared/runtime/runtime';
import { readFileSync } from 'node:fs';
import { buildPage } from '../../web/build';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { compileConfig } from '../../shared/config/load';
import { makeCitizenApiHandler } from '../../lambdas/citizen-api/function';
import {
  API_ROUTES,
  CITIZEN_ROUTES,
  STAFF_PAGES,
  ApplicationStack,
  softphoneUrl,
  STAFF_POOL_ACTIONS,
} from '../../infra/stacks/application-stack';
import { AGENT_PANEL_PERMISSIONS } from '../../infra/constructs/agent-workspace';
import { DataStack } from '../../infra/stacks/data-stack';
import { pageCsp } from '../../web/csp';

/** The application stack of the example city hall, in an app of its own (bundling skipped). */
function synth(extra: { instanceArn?: string; contactDataPolicyArn?: string } = {}) {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const data = new DataStack(app, 'Data');
  return Template.fromStack(
    new ApplicationStack(app, 'Application', {
      config: compileConfig('config/city-hall'),
      metricsTable: data.data.tables.metrics,
      citizensTable: data.data.tables.citizens,
      casesTable: data.data.tables.cases,
      stream: data.events.stream,
      queueArns: { tax: 'arn:aws:connect:us-east-1:111122223333:instance/i/queue/tax' },
      ...extra,
    }),
  );
}
const template = synth();

/** The routes the staff API function serves, composed as at a cold start (nothing is called). */
function apiRoutesServed(): (readonly [string, string])[] {
  const runtime = createRuntime({
    service: 'api',
    config: loadConfig('config/city-hall'),
    doc: createDocumentClient({ endpoint: 'http://127.0.0.1:9' }),
    settings: { citizensTable: 'c', casesTable: 'k', metricsTable: 'm' },
  });
  const staff = demoPasswords(loadUsers('config/city-hall')).store;
  return [...makeApiHandler(runtime, { staff }).routes];
}

describe('application stack', () => {
  it('signs staff in with required MFA, strong passwords, no self sign-up and one group per role', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'ON',
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 12, RequireSymbols: true }) },
    });
    const groups = Object.values(template.findResources('AWS::Cognito::UserPoolGroup')).map(
      (g) => g.Properties.GroupName,
    );
    expect(groups.filter((g: string) => !g.startsWith('department-')).sort()).toEqual([
      'admin',
      'agent',
      'backoffice',
      'supervisor',
    ]);
  });

  it('protects the API with a JWT authorizer on the staff pool, and logs access', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
    });
  });

  it('throttles the API at its stage (the batch routes tighter) and caps the functions a flood would run wide', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
      RouteSettings: {
        'POST /backoffice/exports': { ThrottlingRateLimit: 1, ThrottlingBurstLimit: 5 },
        'POST /backoffice/imports': { ThrottlingRateLimit: 1, ThrottlingBurstLimit: 5 },
      },
    });
    const reserved = Object.entries(template.findResources('AWS::Lambda::Function')).map(([id, f]) => [
      id.replace(/Function[0-9A-F]{8}$/, ''),
      f.Properties.ReservedConcurrentExecutions,
    ]);
    expect(Object.fromEntries(reserved)).toMatchObject({ api: 50, BackOfficeanswerimport: 2 });
  });

  it('routes the staff API to its function, every route behind the JWT authorizer', () => {
    const publicRoutes = new Set(CITIZEN_ROUTES.map(([m, p]) => `${m} ${p}`));
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).filter(
      (r) => !publicRoutes.has(r.Properties.RouteKey),
    );
    expect(routes.map((r) => r.Properties.RouteKey).sort()).toEqual(
      API_ROUTES.map(([method, path]) => `${method} ${path}`).sort(),
    );
    expect(routes.length).toBeGreaterThan(10);
    // And every route the function serves is one of them (only the local outbox and task lists are not).
    const served = apiRoutesServed().filter(([, path]) => path !== '/outbox' && path !== '/tasks');
    expect(API_ROUTES.map(([m, p]) => `${m} ${p}`).sort()).toEqual(
      served.map(([m, p]) => `${m} ${p}`).sort(),
    );
    for (const r of routes) expect(r.Properties.AuthorizationType).toBe('JWT');
  });

  it("routes the citizens' API to its own function, public and throttled, the sign-in tighter", () => {
    const publicRoutes = new Set(CITIZEN_ROUTES.map(([m, p]) => `${m} ${p}`));
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).filter((r) =>
      publicRoutes.has(r.Properties.RouteKey),
    );
    expect(routes.map((r) => r.Properties.RouteKey).sort()).toEqual(
      CITIZEN_ROUTES.map(([method, path]) => `${method} ${path}`).sort(),
    );
    for (const r of routes) expect(r.Properties.AuthorizationType).toBe('NONE');
    // Every route the function serves, and only those.
    const runtime = createRuntime({
      service: 'citizen-api',
      config: loadConfig('config/city-hall'),
      doc: createDocumentClient({ endpoint: 'http://127.0.0.1:9' }),
      settings: { citizensTable: 'c', casesTable: 'k' },
    });
    const served = makeCitizenApiHandler(runtime, { sender: { send: async () => undefined } }).routes;
    expect(served.map(([m, p]) => `${m} ${p}`).sort()).toEqual(
      CITIZEN_ROUTES.map(([m, p]) => `${m} ${p}`).sort(),
    );
    const integrations = new Set(routes.map((r) => JSON.stringify(r.Properties.Target)));
    expect(integrations.size).toBe(1);
    expect([...integrations][0]).toContain('CitizenApi');
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      RouteSettings: Match.objectLike({
        'POST /citizen/code': { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 20 },
        'POST /citizen/session': { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 20 },
      }),
    });
    const reserved = Object.entries(template.findResources('AWS::Lambda::Function')).map(([id, f]) => [
      id.replace(/Function[0-9A-F]{8}$/, ''),
      f.Properties.ReservedConcurrentExecutions,
    ]);
    expect(Object.fromEntries(reserved)).toMatchObject({ citizenapi: 20 });
  });

  it("keeps the citizens' documents in a private, encrypted, TLS-only bucket that ends them with their term, written by the citizens' API and read by the staff API", () => {
    const config = compileConfig('config/city-hall');
    const buckets = Object.entries(template.findResources('AWS::S3::Bucket')).filter(([id]) =>
      id.startsWith('Uploads'),
    );
    expect(buckets).toHaveLength(1);
    const [id, bucket] = buckets[0]!;
    expect(bucket.Properties).toMatchObject({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      LoggingConfiguration: { LogFilePrefix: 'uploads/' },
      CorsConfiguration: { CorsRules: [expect.objectContaining({ AllowedMethods: ['POST'] })] },
    });
    expect(bucket.Properties.LifecycleConfiguration.Rules[0].ExpirationInDays).toBe(
      config.deployment.retention.document.days,
    );
    const policy = Object.values(template.findResources('AWS::S3::BucketPolicy')).find((p) =>
      JSON.stringify(p.Properties.Bucket).includes(id),
    )!;
    expect(JSON.stringify(policy.Properties.PolicyDocument)).toContain('aws:SecureTransport');
    const s3Actions = (role: string) =>
      Object.values(template.findResources('AWS::IAM::Policy'))
        .filter((p) => JSON.stringify(p.Properties.Roles).includes(`"${role}`))
        .flatMap((p) => p.Properties.PolicyDocument.Statement)
        .filter((st: { Resource: unknown }) => JSON.stringify(st.Resource).includes(id))
        .flatMap((st: { Action: string | string[] }) => [st.Action].flat())
        .sort();
    expect(s3Actions('citizenapiRole')).toEqual(['s3:DeleteObject', 's3:GetObject', 's3:PutObject']);
    expect(s3Actions('apiRole')).toEqual(['s3:DeleteObject', 's3:GetObject']);
  });

  it("keeps the payment gateway's keys in a secret (its webhook secret generated), read only by the citizens' API and the reconciliation", () => {
    const secrets = Object.entries(template.findResources('AWS::SecretsManager::Secret'));
    expect(secrets).toHaveLength(1);
    const [id, secret] = secrets[0]!;
    expect(secret.Properties.GenerateSecretString).toMatchObject({
      GenerateStringKey: 'webhookSecret',
      SecretStringTemplate: JSON.stringify({ apiKey: '' }),
    });
    const readers = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p) =>
        p.Properties.PolicyDocument.Statement.some((st: { Resource: unknown }) =>
          JSON.stringify(st.Resource).includes(id),
        ),
      )
      .flatMap((p) => p.Properties.Roles.map((r: { Ref: string }) => r.Ref.replace(/[0-9A-F]{8}$/, '')))
      .sort();
    expect(readers).toEqual(['citizenapiRole', 'paymentreconcileRole']);
    const env = (name: string) =>
      Object.entries(template.findResources('AWS::Lambda::Function')).find(([fid]) =>
        fid.startsWith(name),
      )![1].Properties.Environment.Variables;
    for (const fn of ['citizenapi', 'paymentreconcile'])
      expect(env(fn).PAYMENT_SECRET_ARN).toEqual({ Ref: id });
  });

  it('publishes the dashboard and the agent panel each under its folder with its config resolved at deploy time, and a hosted sign-in', () => {
    const deployments = Object.values(template.findResources('Custom::CDKBucketDeployment'));
    expect(
      deployments.map((d) => [d.Properties.DestinationBucketKeyPrefix, d.Properties.DistributionPaths]),
    ).toEqual([
      ['dashboard/', ['/dashboard/*']],
      ['agent/', ['/agent/*']],
      ['admin/', ['/admin/*']],
      ['supervision/', ['/supervision/*']],
      ['backoffice/', ['/backoffice/*']],
      ['office/', ['/office/*']],
      ['citizen/', ['/citizen/*']],
    ]);
    for (const deployment of deployments) {
      // Two sources: the built page, and config.json with the API and the client id filled in by CloudFormation.
      expect(deployment.Properties.SourceObjectKeys).toHaveLength(2);
      const markers = JSON.stringify(deployment.Properties.SourceMarkers);
      expect(markers).toContain('ApiEndpoint');
      // The citizen's page knows nothing of the staff pool.
      for (const value of ['IdentityStaffDashboard', 'IdentityStaffSignIn', 'DashboardCdn'])
        if (deployment.Properties.DestinationBucketKeyPrefix === 'citizen/')
          expect(markers).not.toContain(value);
        else expect(markers).toContain(value);
    }
    template.resourceCountIs('AWS::Cognito::UserPoolDomain', 1);
    template.hasResourceProperties('AWS::CloudFront::Function', {
      FunctionCode: Match.stringLikeRegexp("uri \\+= 'index.html'"),
    });
  });

  it('publishes case events from the cases table stream, bounded the same way', () => {
    const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping'));
    expect(mappings).toHaveLength(2);
    const fromTable = mappings.find((m) =>
      JSON.stringify(m.Properties.EventSourceArn).includes('StreamArn'),
    )!;
    expect(fromTable.Properties).toMatchObject({
      StartingPosition: 'TRIM_HORIZON',
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 5,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('feeds the metrics aggregator from the stream with every bound set, and rolls queues up to departments', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 5,
      MaximumRecordAgeInSeconds: 3600,
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
    const [, fn] = Object.entries(template.findResources('AWS::Lambda::Function')).find(([id]) =>
      id.startsWith('metricsaggregator'),
    )!;
    // The citizens table: a callback contact's record ends the number's callback request.
    expect(Object.keys(fn.Properties.Environment.Variables).sort()).toEqual([
      'CITIZENS_TABLE',
      'METRICS_TABLE',
      'POWERTOOLS_SERVICE_NAME',
      'QUEUE_DEPARTMENTS',
    ]);
    expect(JSON.stringify(fn.Properties.Environment.Variables.QUEUE_DEPARTMENTS)).toContain('queue/tax');
  });

  it('serves the dashboard from a private bucket through CloudFront with origin access control, HTTPS only', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'site/' }),
    });
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https' }),
      }),
    });
  });

  it('carries back-office departments in groups only an administrator sets, never in a writable attribute', () => {
    const groups = Object.values(template.findResources('AWS::Cognito::UserPoolGroup')).map(
      (g) => g.Properties.GroupName as string,
    );
    expect(groups).toEqual(expect.arrayContaining(['department-tax', 'department-vehicles', 'backoffice']));
    const [pool] = Object.values(template.findResources('AWS::Cognito::UserPool'));
    const custom = ((pool!.Properties.Schema ?? []) as { Name: string }[]).filter(
      (a) => a.Name.startsWith('custom:') || a.Name === 'departments',
    );
    expect(custom).toEqual([]);
    // The dashboard's client may write no attribute that decides access.
    for (const client of Object.values(template.findResources('AWS::Cognito::UserPoolClient')))
      expect(JSON.stringify(client.Properties.WriteAttributes ?? [])).not.toMatch(/custom:|department/);
  });

  it('counts the stream records the aggregator skips as invalid, and alarms on them', () => {
    const [filter] = Object.values(template.findResources('AWS::Logs::MetricFilter'));
    expect(filter!.Properties).toMatchObject({
      FilterPattern: '{ $.message = "invalid record skipped" }',
      MetricTransformations: [
        { MetricNamespace: 'Ventanilla', MetricName: 'InvalidStreamRecords', MetricValue: '1' },
      ],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'Ventanilla',
      MetricName: 'InvalidStreamRecords',
      Threshold: 1,
    });
  });

  it("serves the dashboard with the local server's Content-Security-Policy, the API and sign-in hosts added", () => {
    const [policy] = Object.values(template.findResources('AWS::CloudFront::ResponseHeadersPolicy'));
    const headers = policy!.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    const csp = JSON.stringify(headers.ContentSecurityPolicy.ContentSecurityPolicy);
    const directives = (text: string) => text.replace(/^"|"$/g, '').split('; ');
    const local = directives(pageCsp());
    // Every directive of the local page's policy, word for word, but connect-src, which adds the two hosts.
    for (const directive of local.filter((d) => !d.startsWith('connect-src')))
      expect(csp).toContain(directive);
    expect(csp).toContain("connect-src 'self' https://*.execute-api.");
    expect(csp).toContain('https://*.auth.');
    expect(headers).toMatchObject({
      FrameOptions: { FrameOption: 'DENY' },
      ReferrerPolicy: { ReferrerPolicy: 'no-referrer' },
      ContentTypeOptions: { Override: true },
    });
    const [distribution] = Object.values(template.findResources('AWS::CloudFront::Distribution'));
    expect(
      JSON.stringify(
        distribution!.Properties.DistributionConfig.DefaultCacheBehavior.ResponseHeadersPolicyId,
      ),
    ).toContain(Object.keys(template.findResources('AWS::CloudFront::ResponseHeadersPolicy'))[0]);
  });

  it('publishes the agent panel under /agent/, framed by the Connect agent workspace and nobody else', () => {
    const policies = Object.entries(template.findResources('AWS::CloudFront::ResponseHeadersPolicy'));
    const [agentId, agent] = policies.find(([id]) => id.includes('AgentHeaders'))!;
    const headers = agent.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    const csp = JSON.stringify(headers.ContentSecurityPolicy.ContentSecurityPolicy);
    expect(csp).toContain('frame-ancestors https://*.my.connect.aws https://*.awsapps.com');
    // The standalone page frames the instance's softphone, and nothing else is framed.
    expect(csp).toContain('frame-src https://*.my.connect.aws https://*.awsapps.com');
    expect(headers.FrameOptions).toBeUndefined();
    const [distribution] = Object.values(template.findResources('AWS::CloudFront::Distribution'));
    const behaviors = distribution!.Properties.DistributionConfig.CacheBehaviors as {
      PathPattern: string;
      ResponseHeadersPolicyId: unknown;
    }[];
    expect(behaviors.map((b) => b.PathPattern)).toEqual(['/agent/*']);
    expect(JSON.stringify(behaviors[0]!.ResponseHeadersPolicyId)).toContain(agentId);
    const prefixes = Object.values(template.findResources('Custom::CDKBucketDeployment')).map(
      (d) => d.Properties.DestinationBucketKeyPrefix,
    );
    expect(prefixes.sort()).toEqual([
      'admin/',
      'agent/',
      'backoffice/',
      'citizen/',
      'dashboard/',
      'office/',
      'supervision/',
    ]);
    // A return address for each staff page.
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      CallbackURLs: STAFF_PAGES.map(() => Match.anyValue()),
    });
    expect(
      JSON.stringify(
        Object.values(template.findResources('AWS::Cognito::UserPoolClient'))[0]!.Properties.CallbackURLs,
      ),
    ).toContain('/agent/');
  });

  it('registers the agent panel as an application of the agent workspace, with only the contact permissions it uses', () => {
    // Each request and event of the workspace SDK the panel uses, and the permission it needs (Amazon Connect
    // Administrator Guide, "Events and requests when granting third-party applications access").
    const NEEDS: Record<string, string> = {
      onConnected: 'Contact.Details.View',
      onStartingAcw: 'Contact.Details.View',
      onCleared: 'Contact.Details.View',
      onMissed: 'Contact.Details.View',
      getAttributes: 'Contact.Attributes.View',
      getInitialCustomerPhoneNumber: 'Contact.CustomerDetails.View',
    };
    const source = readFileSync('web/src/contact-events/workspace.ts', 'utf8');
    const used = [...source.matchAll(/\b(?:contacts|voice)\.(\w+)\(/g)].map((m) => m[1]!);
    expect(used.length).toBeGreaterThan(0);
    for (const call of used) expect(NEEDS).toHaveProperty([call]);
    const needed = [...new Set(used.map((call) => NEEDS[call]!))].sort();
    expect([...AGENT_PANEL_PERMISSIONS].sort()).toEqual(needed);
    const withInstance = synth({
      instanceArn: 'arn:aws:connect:us-east-1:111122223333:instance/00000000-0000-0000-0000-000000000000',
    });
    withInstance.hasResourceProperties('AWS::AppIntegrations::Application', {
      Permissions: AGENT_PANEL_PERMISSIONS,
      ApplicationSourceConfig: {
        ExternalUrlConfig: { AccessUrl: Match.objectLike({ 'Fn::Join': Match.anyValue() }) },
      },
    });
    withInstance.hasResourceProperties('AWS::Connect::IntegrationAssociation', {
      IntegrationType: 'APPLICATION',
      InstanceId: Match.stringLikeRegexp('instance/'),
    });
    withInstance.resourceCountIs('AWS::Connect::ApprovedOrigin', 1);
    // Without an instance (the panel on its own) there is nothing to register.
    template.resourceCountIs('AWS::AppIntegrations::Application', 0);
  });

  it("lets the staff API erase Connect's contact data only through the contact center's policy, and knows the instance", () => {
    const policyArn = 'arn:aws:iam::111122223333:policy/contact-data-erasure';
    const withInstance = synth({
      instanceArn: 'arn:aws:connect:us-east-1:111122223333:instance/00000000-0000-0000-0000-000000000000',
      contactDataPolicyArn: policyArn,
    });
    const api = Object.entries(withInstance.findResources('AWS::Lambda::Function')).find(([id]) =>
      id.startsWith('apiFunction'),
    )![1];
    const roleId = api.Properties.Role['Fn::GetAtt'][0] as string;
    expect(withInstance.findResources('AWS::IAM::Role')[roleId]!.Properties.ManagedPolicyArns).toEqual([
      policyArn,
    ]);
    expect(Object.keys(api.Properties.Environment.Variables)).toContain('CONNECT_INSTANCE_ID');
    // No statement of its own names Connect.
    const statements = Object.values(withInstance.findResources('AWS::IAM::Policy')).flatMap(
      (p) => p.Properties.PolicyDocument.Statement as { Action: string | string[] }[],
    );
    expect(statements.flatMap((st) => [st.Action].flat()).filter((a) => a.startsWith('connect:'))).toEqual(
      [],
    );
  });

  it('gives the staff API exactly the user-pool actions its staff directory sends, on its pool only', () => {
    const source = readFileSync('shared/adapters/cognito/staff-directory.ts', 'utf8');
    const sent = [...new Set([...source.matchAll(/new (\w+)Command\(/g)].map((m) => m[1]!))].sort();
    expect([...STAFF_POOL_ACTIONS].sort()).toEqual(sent);
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (p) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
    );
    const pool = statements.filter((st) => [st.Action].flat().some((a) => a.startsWith('cognito-idp:')));
    expect(pool).toHaveLength(1);
    expect([pool[0]!.Action].flat().sort()).toEqual(sent.map((a) => `cognito-idp:${a}`).sort());
    const poolId = Object.keys(template.findResources('AWS::Cognito::UserPool'))[0]!;
    expect(pool[0]!.Resource).toEqual({ 'Fn::GetAtt': [poolId, 'Arn'] });
  });

  it('builds the standalone agent page: the panel beside the softphone, Streams served from the page’s origin', () => {
    const files = new Map(buildPage('agent').map((f) => [f.path, f.body.toString('utf8')]));
    const page = files.get('softphone.html')!;
    expect(page).toContain('<aside id="ccp"');
    expect(page.indexOf('src="streams.js"')).toBeLessThan(page.indexOf('src="app.js"'));
    expect(files.get('streams.js')!.length).toBeGreaterThan(100_000);
    // Streams stays out of the panel's own script (the workspace never loads it).
    expect(files.get('app.js')!.length).toBeLessThan(files.get('streams.js')!.length / 4);
    expect(softphoneUrl({ createInstance: { alias: 'city-hall' } })).toBe(
      'https://city-hall.my.connect.aws/ccp-v2/',
    );
    const instanceArn =
      'arn:aws:connect:us-east-1:111122223333:instance/00000000-0000-0000-0000-000000000000';
    expect(softphoneUrl({ instanceArn })).toBeUndefined();
    expect(softphoneUrl({ instanceArn, accessUrl: 'https://tax.my.connect.aws' })).toBe(
      'https://tax.my.connect.aws/ccp-v2/',
    );
  });

  it('runs the morning export at 07:00, the retention sweep at 02:00 and the payment reconciliation at 01:00 in the deployment time zone, the appointments and the surge rule every minute, retried, with dead-letter queues', () => {
    const schedules = Object.values(template.findResources('AWS::Scheduler::Schedule')).map(
      (s) => s.Properties,
    );
    const target = (name: string) => (s: { Target: { Arn: unknown } }) =>
      JSON.stringify(s.Target.Arn).includes(name);
    expect(schedules).toHaveLength(5);
    for (const [daily, hour] of [
      ['dailyexport', 7],
      ['retentionsweep', 2],
      ['paymentreconcile', 1],
    ] as const)
      expect(schedules.find(target(daily))).toMatchObject({
        ScheduleExpression: `cron(0 ${hour} * * ? *)`,
        ScheduleExpressionTimezone: 'America/Panama',
        Target: { RetryPolicy: { MaximumRetryAttempts: 2 }, DeadLetterConfig: { Arn: expect.anything() } },
      });
    // The reconciliation's and the sweep's failures raise alarms (their schedules retry them).
    const reconcileAlarm = Object.values(template.findResources('AWS::CloudWatch::Alarm')).find((a) =>
      String(a.Properties.AlarmDescription).startsWith('The payment reconciliation failed'),
    );
    expect(JSON.stringify(reconcileAlarm?.Properties.Dimensions)).toContain('paymentreconcile');
    const sweepAlarm = Object.values(template.findResources('AWS::CloudWatch::Alarm')).find((a) =>
      String(a.Properties.AlarmDescription).startsWith('The retention sweep failed'),
    );
    expect(sweepAlarm?.Properties).toMatchObject({ MetricName: 'Errors', Threshold: 1 });
    expect(JSON.stringify(sweepAlarm?.Properties.Dimensions)).toContain('retentionsweep');
    for (const every of ['appointmenttasks', 'surgerule'])
      expect(schedules.find(target(every))).toMatchObject({
        ScheduleExpression: 'rate(1 minute)',
        Target: {
          RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 300 },
          DeadLetterConfig: { Arn: expect.anything() },
        },
      });
  });

  it('imports answer files uploaded under imports/ and keeps the exchange bucket private, versioned and short-lived', () => {
    const [notifications] = Object.values(template.findResources('Custom::S3BucketNotifications'));
    const [rule] = notifications!.Properties.NotificationConfiguration.LambdaFunctionConfigurations;
    expect(rule.Events).toEqual(['s3:ObjectCreated:*']);
    expect(rule.Filter.Key.FilterRules).toEqual(
      expect.arrayContaining([
        { Name: 'prefix', Value: 'imports/' },
        { Name: 'suffix', Value: '.csv' },
      ]),
    );
    expect(JSON.stringify(rule.LambdaFunctionArn)).toContain('BackOfficeanswerimport');
    template.hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: {
        Rules: [
          Match.objectLike({
            ExpirationInDays: loadConfig('config/city-hall').deployment.retention.exportFile.days,
            NoncurrentVersionExpiration: { NoncurrentDays: 7 },
          }),
        ],
      },
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'exchange/' }),
    });
  });

  it('lets the batch functions write audit events in batches, and read citizens only where the export needs them', () => {
    const statementsOf = (prefix: string) => {
      const functions = template.findResources('AWS::Lambda::Function');
      const id = Object.keys(functions).find((key) => key.startsWith(prefix))!;
      const role = functions[id]!.Properties.Role['Fn::GetAtt'][0] as string;
      return Object.values(template.findResources('AWS::IAM::Policy'))
        .filter((p) => JSON.stringify(p.Properties.Roles).includes(`"${role}`))
        .flatMap(
          (p) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
        )
        .map((st) => ({ actions: [st.Action].flat(), resource: JSON.stringify(st.Resource) }));
    };
    for (const fn of ['BackOfficedailyexport', 'BackOfficeanswerimport']) {
      const onCases = statementsOf(fn).filter(
        (st) => st.resource.includes('cases') && !st.resource.includes('index'),
      );
      expect(onCases.flatMap((st) => st.actions)).toContain('dynamodb:BatchWriteItem');
    }
    const onCitizens = (fn: string) =>
      statementsOf(fn)
        .filter((st) => st.resource.includes('citizens'))
        .flatMap((st) => st.actions);
    expect(onCitizens('BackOfficedailyexport')).toEqual(['dynamodb:BatchGetItem']);
    expect(onCitizens('BackOfficeanswerimport')).toEqual([]);
  });
});
