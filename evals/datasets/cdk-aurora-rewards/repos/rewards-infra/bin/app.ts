#!/usr/bin/env node
import 'source-map-support/register';
import * as cdk from 'aws-cdk-lib';
import { PointsCatalogStack } from '../lib/points-catalog-stack';
import { RewardsLedgerStack } from '../lib/rewards-ledger-stack';

const app = new cdk.App();
const env = { account: app.node.tryGetContext('account'), region: 'eu-west-1' };
const shared = app.node.tryGetContext('shared');

new PointsCatalogStack(app, 'PointsCatalogStack', { env });

new RewardsLedgerStack(app, 'RewardsLedgerStack', {
  env,
  vpcId: shared.vpcId,
  alarmTopicArn: shared.alarmTopicArn,
  lambdaSecurityGroupId: shared.rewardsLambdaSgId,
  instanceClass: app.node.tryGetContext('rewardsLedger:instanceClass'),
});

cdk.Tags.of(app).add('team', 'rewards');
