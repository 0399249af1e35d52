/**
 * Services that run code with a role: pass a role to something new (`iam:PassRole` plus a create
 * action) or make something that already holds a role run the requester's code. Each entry is the
 * smallest set of actions that does it, so it also catches every catalogued path that needs more;
 * whatever it starts keeps running with that role after the window closes.
 */
import type { EscalationEntry, RiskKind } from '../escalation.js';
import { BISHOPFOX, HTC, pathfinding, RHINO, SESSION_MANAGER } from './risk-sources.js';

const RUNS_AS_ROLE: readonly RiskKind[] = ['escalation', 'outlives-window'];

/** A service action that, with iam:PassRole, starts the requester's code under a role they pick. */
function passRole(action: string, what: string, paths: string[], extra: string[] = []) {
  return {
    actions: [action, 'iam:PassRole'],
    kinds: RUNS_AS_ROLE,
    reason: `${what} with any passable role, so the requester's code runs as that role and keeps running after the grant`,
    sources: [...pathfinding(...paths), ...extra],
  } satisfies EscalationEntry;
}

/** An action that makes an existing resource, which already holds a role, run the requester's code. */
function hijack(actions: string[], what: string, paths: string[], extra: string[] = []) {
  return {
    actions,
    kinds: RUNS_AS_ROLE,
    reason: `${what}, which then runs the requester's code with the role it already has`,
    sources: [...pathfinding(...paths), ...extra],
  } satisfies EscalationEntry;
}

export const SERVICE_PATHS: readonly EscalationEntry[] = [
  passRole('apprunner:CreateService', 'creates an App Runner service', ['apprunner-001']),
  hijack(
    ['apprunner:UpdateService'],
    'changes the image or start command of an App Runner service',
    ['apprunner-002'],
  ),
  passRole('batch:RegisterJobDefinition', 'registers a Batch job definition', [
    'batch-001',
    'batch-003',
  ]),
  hijack(['batch:SubmitJob'], 'submits a Batch job with an overridden command', ['batch-002']),
  passRole(
    'bedrock-agentcore:CreateCodeInterpreter',
    'creates a Bedrock AgentCore code interpreter',
    ['bedrock-001'],
  ),
  hijack(
    ['bedrock-agentcore:InvokeCodeInterpreter'],
    'runs code in a Bedrock AgentCore code interpreter',
    ['bedrock-002'],
  ),
  passRole('bedrock-agentcore:CreateAgentRuntime', 'creates a Bedrock AgentCore runtime', [
    'bedrock-003',
    'bedrock-005',
  ]),
  hijack(
    ['bedrock-agentcore:InvokeAgentRuntimeCommand'],
    'runs a root shell command inside a Bedrock AgentCore runtime or harness',
    ['bedrock-004', 'bedrock-003', 'bedrock-005'],
  ),
  passRole('bedrock-agentcore:CreateHarness', 'creates a Bedrock AgentCore harness', [
    'bedrock-005',
  ]),
  passRole('bedrock-agentcore:CreateBrowser', 'creates a Bedrock AgentCore browser', [
    'bedrock-006',
  ]),
  hijack(
    ['bedrock-agentcore:ConnectBrowserAutomationStream'],
    'drives a Bedrock AgentCore browser over its automation stream',
    ['bedrock-007', 'bedrock-006'],
  ),
  passRole('braket:CreateJob', 'creates a Braket hybrid job', ['braket-001']),
  passRole(
    'cloudformation:CreateStack',
    'creates a CloudFormation stack (IAM resources included)',
    ['cloudformation-001'],
    [RHINO, BISHOPFOX, HTC],
  ),
  hijack(
    ['cloudformation:UpdateStack'],
    'rewrites the template of a stack deployed through a service role',
    ['cloudformation-002'],
  ),
  passRole('cloudformation:CreateStackSet', 'creates a CloudFormation stack set', [
    'cloudformation-003',
  ]),
  passRole('cloudformation:UpdateStackSet', 'rewrites a CloudFormation stack set', [
    'cloudformation-004',
  ]),
  hijack(
    ['cloudformation:CreateChangeSet', 'cloudformation:ExecuteChangeSet'],
    'creates and executes a change set on a stack deployed through a service role',
    ['cloudformation-005'],
  ),
  passRole('codebuild:CreateProject', 'creates a CodeBuild project', [
    'codebuild-001',
    'codebuild-004',
  ]),
  hijack(['codebuild:StartBuild'], 'starts a CodeBuild build with an overridden buildspec', [
    'codebuild-002',
    'codebuild-001',
  ]),
  hijack(
    ['codebuild:StartBuildBatch'],
    'starts a CodeBuild batch build with an overridden buildspec',
    ['codebuild-003', 'codebuild-004'],
  ),
  hijack(
    ['codedeploy:CreateDeployment'],
    'deploys a revision whose lifecycle hooks run as root on instances of a deployment group',
    ['codedeploy-001'],
  ),
  {
    actions: ['cognito-identity:SetIdentityPoolRoles', 'iam:PassRole'],
    kinds: RUNS_AS_ROLE,
    reason:
      "binds any passable role to a Cognito identity pool, so anyone (unauthenticated, if the pool allows it) gets that role's credentials until the binding is undone",
    sources: pathfinding('cognitoidentity-001'),
  },
  passRole('datapipeline:CreatePipeline', 'creates a Data Pipeline', ['datapipeline-001']),
  hijack(['datapipeline:PutPipelineDefinition'], 'rewrites the activities of a Data Pipeline', [
    'datapipeline-001',
  ]),
  passRole(
    'ec2:RunInstances',
    'launches an instance (user data runs at boot)',
    ['ec2-001'],
    [RHINO, BISHOPFOX, HTC],
  ),
  hijack(
    ['ec2:ModifyInstanceAttribute'],
    'replaces the user data of an instance, run at its next start',
    ['ec2-002'],
  ),
  passRole('ec2:RequestSpotInstances', 'requests spot instances (user data runs at boot)', [
    'ec2-003',
  ]),
  hijack(
    ['ec2:CreateLaunchTemplateVersion'],
    'adds a launch template version with new user data, used by the next instance an Auto Scaling group launches',
    ['ec2-004', 'ec2-005'],
  ),
  passRole('ecs:RegisterTaskDefinition', 'registers an ECS task definition', [
    'ecs-001',
    'ecs-002',
    'ecs-003',
    'ecs-004',
    'ecs-005',
  ]),
  passRole('ecs:RunTask', 'runs an ECS task with an overridden task role and command', [
    'ecs-008',
    'ecs-002',
    'ecs-004',
  ]),
  passRole('ecs:StartTask', 'starts an ECS task with an overridden task role and command', [
    'ecs-009',
    'ecs-005',
    'ecs-007',
  ]),
  passRole('elasticmapreduce:RunJobFlow', 'creates an EMR cluster with steps', ['emr-001']),
  passRole('emr-serverless:StartJobRun', 'starts an EMR Serverless job run', ['emrserverless-001']),
  passRole('gamelift:CreateFleet', 'creates a GameLift fleet running an uploaded build', [
    'gamelift-001',
  ]),
  passRole(
    'glue:CreateDevEndpoint',
    'creates a Glue dev endpoint the requester can log in to',
    ['glue-001'],
    [RHINO, BISHOPFOX, HTC],
  ),
  hijack(
    ['glue:UpdateDevEndpoint'],
    'puts the requester’s SSH key on a Glue dev endpoint',
    ['glue-002'],
    [RHINO, BISHOPFOX, HTC],
  ),
  passRole('glue:CreateJob', 'creates a Glue job', ['glue-003', 'glue-004']),
  passRole('glue:UpdateJob', 'rewrites a Glue job', ['glue-005', 'glue-006']),
  passRole('glue:CreateSession', 'creates a Glue interactive session', ['glue-007']),
  passRole(
    'imagebuilder:CreateInfrastructureConfiguration',
    'sets up Image Builder build instances running the requester’s components',
    ['imagebuilder-001'],
  ),
  passRole('kinesisanalytics:CreateApplication', 'creates a Managed Apache Flink application', [
    'kinesisanalytics-001',
  ]),
  passRole(
    'lambda:CreateFunction',
    'creates a Lambda function',
    ['lambda-001', 'lambda-002', 'lambda-006'],
    [RHINO, BISHOPFOX, HTC],
  ),
  hijack(
    ['lambda:UpdateFunctionCode'],
    'replaces the code of an existing Lambda function',
    ['lambda-003', 'lambda-004', 'lambda-005'],
    [RHINO, BISHOPFOX, HTC],
  ),
  hijack(
    ['lambda:UpdateFunctionConfiguration'],
    'changes the layers or environment of an existing Lambda function',
    [],
    [BISHOPFOX, HTC],
  ),
  passRole('omics:StartRun', 'starts a HealthOmics workflow run', ['omics-001']),
  passRole('sagemaker:CreateNotebookInstance', 'creates a SageMaker notebook instance', [
    'sagemaker-001',
  ]),
  passRole('sagemaker:CreateTrainingJob', 'creates a SageMaker training job', ['sagemaker-002']),
  passRole('sagemaker:CreateProcessingJob', 'creates a SageMaker processing job', [
    'sagemaker-003',
  ]),
  hijack(
    ['sagemaker:CreatePresignedNotebookInstanceUrl'],
    'opens a Jupyter session on an existing SageMaker notebook instance',
    ['sagemaker-004'],
  ),
  hijack(
    ['sagemaker:CreateNotebookInstanceLifecycleConfig', 'sagemaker:UpdateNotebookInstance'],
    'sets a lifecycle script on a SageMaker notebook instance, run at its next start',
    ['sagemaker-005'],
  ),
  passRole(
    'ssm:StartAutomationExecution',
    'starts a Systems Manager automation with an inline script',
    ['ssm-003'],
  ),
  hijack(
    ['ssm:SendCommand'],
    'runs commands as root on managed instances',
    ['ssm-002'],
    [HTC, BISHOPFOX],
  ),
  hijack(
    ['ssm:StartSession'],
    'opens a shell on managed instances; an open session also outlives the grant',
    ['ssm-001'],
    [HTC, SESSION_MANAGER],
  ),
  hijack(
    ['ecs:ExecuteCommand'],
    'opens a shell in a running ECS container; an open session also outlives the grant',
    ['ecs-006'],
  ),
  hijack(
    ['ec2-instance-connect:SendSSHPublicKey'],
    'pushes an SSH key to an instance and logs in; the SSH session and anything installed outlive the grant',
    ['ec2instanceconnect-003'],
  ),
];
