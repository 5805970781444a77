import * as cdk from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { RewardsLedgerStack } from '../lib/rewards-ledger-stack';

const app = new cdk.App({
  context: { 'vpc-provider:account=111111111111:filter.vpc-id=vpc-12345:region=eu-west-1:returnAsymmetricSubnets=true': require('./vpc-context.json') },
});
const stack = new RewardsLedgerStack(app, 'Test', {
  env: { account: '111111111111', region: 'eu-west-1' },
  vpcId: 'vpc-12345',
  alarmTopicArn: 'arn:aws:sns:eu-west-1:111111111111:test',
  lambdaSecurityGroupId: 'sg-12345',
  instanceClass: 'r6g.large',
});
const template = Template.fromStack(stack);

test('matches snapshot', () => {
  expect(template.toJSON()).toMatchSnapshot();
});

test('creates the rewards_ledger Aurora cluster', () => {
  template.hasResourceProperties('AWS::RDS::DBCluster', {
    DBClusterIdentifier: 'rwl-aurora-prod',
    DatabaseName: 'rewards_ledger',
    DeletionProtection: true,
  });
});

test('publishes the secret ARN to SSM', () => {
  template.hasResourceProperties('AWS::SSM::Parameter', {
    Name: '/rewards/ledger/db-secret-arn',
  });
});
