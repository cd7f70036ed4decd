import { Stack, aws_connect as connect, aws_iam as iam, aws_lex as lex } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { LineEntry } from '../../shared/domain/catalogue';
import type { Language } from '../../shared/domain/citizen';
import { botDefinition } from '../flows/lex-bot';

export interface TextBotProps {
  readonly instanceArn: string;
  readonly name: string;
  readonly languages: readonly Language[];
  readonly catalogue: readonly LineEntry[];
  /** With the numbered replies and yes/cancel of the appointment journey. */
  readonly choices?: boolean;
}

/**
 * The Lex V2 bot text channels talk to, generated from the catalogue (one intent per entry), published as a
 * version behind a "live" alias, associated with the Connect instance and open to it alone.
 */
export class TextBot extends Construct {
  /** Alias ARN per language (one alias serves every locale). */
  readonly aliasArns: Partial<Record<Language, string>> = {};

  constructor(scope: Construct, id: string, props: TextBotProps) {
    super(scope, id);
    const locales = botDefinition(props.languages, props.catalogue, props.choices);
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lexv2.amazonaws.com'),
      description: 'Lex bot for text channels: no permissions needed beyond running the bot',
    });
    const bot = new lex.CfnBot(this, 'Bot', {
      name: props.name,
      description: 'Catalogue of procedures for chat, SMS and WhatsApp',
      roleArn: role.roleArn,
      dataPrivacy: { ChildDirected: false },
      idleSessionTtlInSeconds: 300,
      autoBuildBotLocales: true,
      botLocales: locales.map((locale) => ({
        localeId: locale.localeId,
        nluConfidenceThreshold: 0.4,
        intents: [
          ...locale.intents.map((intent) => ({
            name: intent.name,
            sampleUtterances: intent.utterances.map((utterance) => ({ utterance })),
          })),
          { name: 'FallbackIntent', parentIntentSignature: 'AMAZON.FallbackIntent' },
        ],
      })),
    });
    const version = new lex.CfnBotVersion(this, 'Version', {
      botId: bot.attrId,
      botVersionLocaleSpecification: locales.map((locale) => ({
        localeId: locale.localeId,
        botVersionLocaleDetails: { sourceBotVersion: 'DRAFT' },
      })),
    });
    const alias = new lex.CfnBotAlias(this, 'Alias', {
      botId: bot.attrId,
      botAliasName: 'live',
      botVersion: version.attrBotVersion,
      botAliasLocaleSettings: locales.map((locale) => ({
        localeId: locale.localeId,
        botAliasLocaleSetting: { enabled: true },
      })),
    });
    new connect.CfnIntegrationAssociation(this, 'Association', {
      instanceId: props.instanceArn,
      integrationType: 'LEX_BOT',
      integrationArn: alias.attrArn,
    });
    const stack = Stack.of(this);
    new lex.CfnResourcePolicy(this, 'ConnectMayUse', {
      resourceArn: alias.attrArn,
      policy: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'connect.amazonaws.com' },
            Action: ['lex:RecognizeText', 'lex:StartConversation'],
            Resource: alias.attrArn,
            Condition: {
              StringEquals: { 'AWS:SourceAccount': stack.account },
              ArnEquals: { 'AWS:SourceArn': props.instanceArn },
            },
          },
        ],
      },
    });
    for (const locale of locales) this.aliasArns[locale.language] = alias.attrArn;
  }
}
