import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildApp } from '../../infra/build-app';

const outdir = () => mkdtempSync(join(tmpdir(), 'ventanilla-synth-'));

describe('the CDK app', () => {
  it('synthesises every stack with zero cdk-nag AwsSolutions findings left unacknowledged', () => {
    const app = new App({ outdir: outdir(), context: { 'aws:cdk:bundling-stacks': [] } });
    const { data, contactCenter, application } = buildApp(app, 'config/city-hall');
    const assembly = app.synth();
    expect(assembly.stacks.map((s) => s.stackName).sort()).toEqual(
      [application.stackName, contactCenter.stackName, data.stackName].sort(),
    );
  });

  it('fails the synth on an unacknowledged finding (the gate works)', () => {
    const app = new App({ outdir: outdir(), context: { 'aws:cdk:bundling-stacks': [] } });
    new Bucket(new Stack(app, 'Careless'), 'Open'); // no SSL enforcement, no access logs
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).toThrow(/AwsSolutions-S1/);
  });

  it('fails the synth naming the field when the deployment config is bad', () => {
    const app = new App({ outdir: outdir(), context: { 'aws:cdk:bundling-stacks': [] } });
    expect(() => buildApp(app, 'config/nowhere')).toThrow(/deployment\.json: \(root\): file cannot be read/);
  });
});
