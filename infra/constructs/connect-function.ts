import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  Duration,
  RemovalPolicy,
  Stack,
  Stage,
  aws_connect as connect,
  aws_iam as iam,
  aws_lambda as lambda,
  aws_lambda_nodejs as nodejs,
  aws_logs as logs,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { CompiledConfig } from '../../shared/config/load';
import { BUNDLE_TARGET } from '../bundling';

export interface ConnectFunctionProps {
  /** Folder under lambdas/. */
  readonly name: string;
  readonly description: string;
  readonly instanceArn: string;
  readonly config: CompiledConfig;
  readonly environment: Readonly<Record<string, string>>;
}

/**
 * A function Amazon Connect invokes from a flow. Fixes the defaults: arm64, Node 22, a minified bundle with
 * the SDK inside and the compiled deployment config beside it, a 3 s timeout (the flow waits 4 s, the handler
 * answers within 2 s), one month of logs, and both halves of Connect's access: the instance association and
 * a resource policy scoped to the instance and account.
 */
export class ConnectFunction extends Construct {
  readonly fn: nodejs.NodejsFunction;

  constructor(scope: Construct, id: string, props: ConnectFunctionProps) {
    super(scope, id);
    const configFile = writeCompiledConfig(this, props.config);
    this.fn = new nodejs.NodejsFunction(this, 'Function', {
      entry: join(__dirname, '..', '..', 'lambdas', props.name, 'handler.ts'),
      handler: 'handler',
      description: props.description,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 512,
      timeout: Duration.seconds(3),
      environment: { ...props.environment, POWERTOOLS_SERVICE_NAME: props.name },
      logGroup: new logs.LogGroup(this, 'Logs', {
        retention: logs.RetentionDays.ONE_MONTH,
        removalPolicy: RemovalPolicy.DESTROY,
      }),
      bundling: {
        target: BUNDLE_TARGET,
        minify: true,
        sourceMap: true,
        format: nodejs.OutputFormat.CJS,
        mainFields: ['module', 'main'],
        externalModules: [],
        forceDockerBundling: false,
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (_input: string, output: string) => [`cp "${configFile}" "${output}/config.json"`],
        },
      },
    });
    new connect.CfnIntegrationAssociation(this, 'Association', {
      instanceId: props.instanceArn,
      integrationType: 'LAMBDA_FUNCTION',
      integrationArn: this.fn.functionArn,
    });
    this.fn.addPermission('InvokedByConnect', {
      principal: new iam.ServicePrincipal('connect.amazonaws.com'),
      sourceArn: props.instanceArn,
      sourceAccount: Stack.of(this).account,
    });
  }
}

/** The deployment config, validated and compiled once per synth, copied beside every bundle. */
function writeCompiledConfig(scope: Construct, config: CompiledConfig): string {
  const dir = join(Stage.of(scope)?.outdir ?? 'cdk.out', '.config');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${config.deployment.id}.json`);
  writeFileSync(file, JSON.stringify(config));
  return file;
}
