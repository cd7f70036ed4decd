import {
  RemovalPolicy,
  aws_apigatewayv2 as apigw,
  aws_logs as logs,
  type aws_cognito as cognito,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';

/** Requests a second, and at once, the whole staff API accepts before answering 429. */
export const STAFF_API_RATE = 100;
export const STAFF_API_BURST = 200;

/**
 * The HTTP API agents, supervisors and back offices use. Every route requires a JWT from the staff user pool
 * (routes attach `authorizer`; the handler then checks the caller's group); access is logged. Routes
 * are added as their handlers land: the case workbench (lambdas/api) and the metrics API.
 */
export class StaffApi extends Construct {
  readonly api: apigw.HttpApi;
  readonly authorizer: apigw.HttpAuthorizer;

  constructor(
    scope: Construct,
    id: string,
    props: { userPool: cognito.IUserPool; client: cognito.IUserPoolClient; allowOrigins: string[] },
  ) {
    super(scope, id);
    this.api = new apigw.HttpApi(this, 'Api', {
      description: 'Ventanilla staff API',
      corsPreflight: {
        allowOrigins: props.allowOrigins,
        allowMethods: [apigw.CorsHttpMethod.GET, apigw.CorsHttpMethod.POST],
        allowHeaders: ['authorization', 'content-type', 'if-match'],
        // A case's version, read before a change (If-Match).
        exposeHeaders: ['etag'],
      },
    });
    this.authorizer = new apigw.HttpAuthorizer(this, 'Staff', {
      httpApi: this.api,
      type: apigw.HttpAuthorizerType.JWT,
      identitySource: ['$request.header.Authorization'],
      jwtIssuer: `https://cognito-idp.${props.userPool.env.region}.amazonaws.com/${props.userPool.userPoolId}`,
      jwtAudience: [props.client.userPoolClientId],
    });
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const stage = this.api.defaultStage!.node.defaultChild as apigw.CfnStage;
    // Throttled at the stage: room for every agent of a large centre, not for a flood; the back office's
    // batch routes, heavy and rare, far tighter.
    stage.defaultRouteSettings = {
      throttlingRateLimit: STAFF_API_RATE,
      throttlingBurstLimit: STAFF_API_BURST,
    };
    stage.routeSettings = Object.fromEntries(
      ['POST /backoffice/exports', 'POST /backoffice/imports'].map((route) => [
        route,
        // A free-form map in CloudFormation: its keys are written as the template spells them.
        { ThrottlingRateLimit: 1, ThrottlingBurstLimit: 5 },
      ]),
    );
    stage.accessLogSettings = {
      destinationArn: accessLogs.logGroupArn,
      format: JSON.stringify({
        requestId: '$context.requestId',
        routeKey: '$context.routeKey',
        status: '$context.status',
        user: '$context.authorizer.claims.sub',
        latencyMs: '$context.responseLatency',
      }),
    };
  }
}
