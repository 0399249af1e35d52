/**
 * The AWS privilege-escalation paths of Datadog's pathfinding.cloud catalogue, transcribed by hand
 * (ids and the actions each path requires; the page of each is https://pathfinding.cloud/paths/<id>).
 * Sources: the catalogue repository DataDog/pathfinding.cloud, `data/paths/` at 84dd65c (2025-12-17)
 * and the newer `data/paths/aws/` files (batch, bedrock-003..007, braket, codedeploy, cognito
 * identity, ec2-005, ecs-006..009, emr, emr-serverless, gamelift, glue-007, imagebuilder,
 * kinesisanalytics, omics, ssm-003). Only `permissions.required` is transcribed: the helpful extras
 * (Describe*, List*) do not make a path.
 */
export interface CataloguePath {
  id: string;
  actions: string[];
}

const P = 'iam:PassRole';

export const PATHFINDING_PATHS: readonly CataloguePath[] = [
  { id: 'apprunner-001', actions: [P, 'apprunner:CreateService'] },
  { id: 'apprunner-002', actions: ['apprunner:UpdateService'] },
  { id: 'batch-001', actions: [P, 'batch:RegisterJobDefinition', 'batch:SubmitJob'] },
  { id: 'batch-002', actions: ['batch:SubmitJob'] },
  {
    id: 'batch-003',
    actions: [
      P,
      'batch:CreateComputeEnvironment',
      'batch:CreateJobQueue',
      'batch:RegisterJobDefinition',
      'batch:SubmitJob',
    ],
  },
  {
    id: 'bedrock-001',
    actions: [
      P,
      'bedrock-agentcore:CreateCodeInterpreter',
      'bedrock-agentcore:StartCodeInterpreterSession',
    ],
  },
  {
    id: 'bedrock-002',
    actions: [
      'bedrock-agentcore:StartCodeInterpreterSession',
      'bedrock-agentcore:InvokeCodeInterpreter',
    ],
  },
  {
    id: 'bedrock-003',
    actions: [
      P,
      'bedrock-agentcore:CreateAgentRuntime',
      'bedrock-agentcore:CreateAgentRuntimeEndpoint',
      'bedrock-agentcore:CreateWorkloadIdentity',
      'bedrock-agentcore:InvokeAgentRuntimeCommand',
    ],
  },
  { id: 'bedrock-004', actions: ['bedrock-agentcore:InvokeAgentRuntimeCommand'] },
  {
    id: 'bedrock-005',
    actions: [
      P,
      'bedrock-agentcore:CreateHarness',
      'bedrock-agentcore:CreateAgentRuntime',
      'bedrock-agentcore:CreateAgentRuntimeEndpoint',
      'bedrock-agentcore:CreateWorkloadIdentity',
      'bedrock-agentcore:GetAgentRuntime',
      'bedrock-agentcore:GetHarness',
      'bedrock-agentcore:InvokeAgentRuntimeCommand',
    ],
  },
  {
    id: 'bedrock-006',
    actions: [
      P,
      'bedrock-agentcore:CreateBrowser',
      'bedrock-agentcore:StartBrowserSession',
      'bedrock-agentcore:ConnectBrowserAutomationStream',
    ],
  },
  {
    id: 'bedrock-007',
    actions: [
      'bedrock-agentcore:StartBrowserSession',
      'bedrock-agentcore:ConnectBrowserAutomationStream',
    ],
  },
  { id: 'braket-001', actions: [P, 'braket:CreateJob'] },
  { id: 'cloudformation-001', actions: [P, 'cloudformation:CreateStack'] },
  { id: 'cloudformation-002', actions: ['cloudformation:UpdateStack'] },
  {
    id: 'cloudformation-003',
    actions: [P, 'cloudformation:CreateStackSet', 'cloudformation:CreateStackInstances'],
  },
  { id: 'cloudformation-004', actions: [P, 'cloudformation:UpdateStackSet'] },
  {
    id: 'cloudformation-005',
    actions: ['cloudformation:CreateChangeSet', 'cloudformation:ExecuteChangeSet'],
  },
  { id: 'codebuild-001', actions: [P, 'codebuild:CreateProject', 'codebuild:StartBuild'] },
  { id: 'codebuild-002', actions: ['codebuild:StartBuild'] },
  { id: 'codebuild-003', actions: ['codebuild:StartBuildBatch'] },
  { id: 'codebuild-004', actions: [P, 'codebuild:CreateProject', 'codebuild:StartBuildBatch'] },
  {
    id: 'codedeploy-001',
    actions: [
      'codedeploy:CreateDeployment',
      'codedeploy:RegisterApplicationRevision',
      'codedeploy:GetDeploymentConfig',
    ],
  },
  { id: 'cognitoidentity-001', actions: [P, 'cognito-identity:SetIdentityPoolRoles'] },
  {
    id: 'datapipeline-001',
    actions: [P, 'datapipeline:CreatePipeline', 'datapipeline:PutPipelineDefinition'],
  },
  { id: 'ec2-001', actions: [P, 'ec2:RunInstances'] },
  {
    id: 'ec2-002',
    actions: ['ec2:ModifyInstanceAttribute', 'ec2:StopInstances', 'ec2:StartInstances'],
  },
  { id: 'ec2-003', actions: [P, 'ec2:RequestSpotInstances'] },
  { id: 'ec2-004', actions: ['ec2:CreateLaunchTemplateVersion', 'ec2:ModifyLaunchTemplate'] },
  { id: 'ec2-005', actions: ['ec2:CreateLaunchTemplateVersion', 'ec2:ModifyLaunchTemplate'] },
  { id: 'ec2instanceconnect-003', actions: ['ec2-instance-connect:SendSSHPublicKey'] },
  {
    id: 'ecs-001',
    actions: [P, 'ecs:CreateCluster', 'ecs:RegisterTaskDefinition', 'ecs:CreateService'],
  },
  { id: 'ecs-002', actions: [P, 'ecs:CreateCluster', 'ecs:RegisterTaskDefinition', 'ecs:RunTask'] },
  { id: 'ecs-003', actions: [P, 'ecs:RegisterTaskDefinition', 'ecs:CreateService'] },
  { id: 'ecs-004', actions: [P, 'ecs:RegisterTaskDefinition', 'ecs:RunTask'] },
  { id: 'ecs-005', actions: [P, 'ecs:RegisterTaskDefinition', 'ecs:StartTask'] },
  { id: 'ecs-006', actions: ['ecs:ExecuteCommand', 'ecs:DescribeTasks'] },
  { id: 'ecs-007', actions: [P, 'ecs:StartTask', 'ecs:RegisterContainerInstance'] },
  { id: 'ecs-008', actions: [P, 'ecs:RunTask'] },
  { id: 'ecs-009', actions: [P, 'ecs:StartTask'] },
  { id: 'emr-001', actions: [P, 'elasticmapreduce:RunJobFlow'] },
  {
    id: 'emrserverless-001',
    actions: [P, 'emr-serverless:CreateApplication', 'emr-serverless:StartJobRun'],
  },
  {
    id: 'gamelift-001',
    actions: [
      P,
      'gamelift:CreateBuild',
      'gamelift:CreateFleet',
      'gamelift:RequestUploadCredentials',
    ],
  },
  { id: 'glue-001', actions: [P, 'glue:CreateDevEndpoint'] },
  { id: 'glue-002', actions: ['glue:UpdateDevEndpoint'] },
  { id: 'glue-003', actions: [P, 'glue:CreateJob', 'glue:StartJobRun'] },
  { id: 'glue-004', actions: [P, 'glue:CreateJob', 'glue:CreateTrigger'] },
  { id: 'glue-005', actions: [P, 'glue:UpdateJob', 'glue:StartJobRun'] },
  { id: 'glue-006', actions: [P, 'glue:UpdateJob', 'glue:CreateTrigger'] },
  { id: 'glue-007', actions: [P, 'glue:CreateSession', 'glue:RunStatement'] },
  { id: 'iam-001', actions: ['iam:CreatePolicyVersion'] },
  { id: 'iam-002', actions: ['iam:CreateAccessKey'] },
  { id: 'iam-003', actions: ['iam:CreateAccessKey', 'iam:DeleteAccessKey'] },
  { id: 'iam-004', actions: ['iam:CreateLoginProfile'] },
  { id: 'iam-005', actions: ['iam:PutRolePolicy'] },
  { id: 'iam-006', actions: ['iam:UpdateLoginProfile'] },
  { id: 'iam-007', actions: ['iam:PutUserPolicy'] },
  { id: 'iam-008', actions: ['iam:AttachUserPolicy'] },
  { id: 'iam-009', actions: ['iam:AttachRolePolicy'] },
  { id: 'iam-010', actions: ['iam:AttachGroupPolicy'] },
  { id: 'iam-011', actions: ['iam:PutGroupPolicy'] },
  { id: 'iam-012', actions: ['iam:UpdateAssumeRolePolicy'] },
  { id: 'iam-013', actions: ['iam:AddUserToGroup'] },
  { id: 'iam-014', actions: ['iam:AttachRolePolicy', 'sts:AssumeRole'] },
  { id: 'iam-015', actions: ['iam:AttachUserPolicy', 'iam:CreateAccessKey'] },
  { id: 'iam-016', actions: ['iam:CreatePolicyVersion', 'sts:AssumeRole'] },
  { id: 'iam-017', actions: ['iam:PutRolePolicy', 'sts:AssumeRole'] },
  { id: 'iam-018', actions: ['iam:PutUserPolicy', 'iam:CreateAccessKey'] },
  { id: 'iam-019', actions: ['iam:AttachRolePolicy', 'iam:UpdateAssumeRolePolicy'] },
  { id: 'iam-020', actions: ['iam:CreatePolicyVersion', 'iam:UpdateAssumeRolePolicy'] },
  { id: 'iam-021', actions: ['iam:PutRolePolicy', 'iam:UpdateAssumeRolePolicy'] },
  {
    id: 'imagebuilder-001',
    actions: [
      P,
      'imagebuilder:CreateComponent',
      'imagebuilder:CreateImageRecipe',
      'imagebuilder:CreateInfrastructureConfiguration',
      'imagebuilder:CreateImage',
    ],
  },
  {
    id: 'kinesisanalytics-001',
    actions: [P, 'kinesisanalytics:CreateApplication', 'kinesisanalytics:StartApplication'],
  },
  { id: 'lambda-001', actions: [P, 'lambda:CreateFunction', 'lambda:InvokeFunction'] },
  { id: 'lambda-002', actions: [P, 'lambda:CreateFunction', 'lambda:CreateEventSourceMapping'] },
  { id: 'lambda-003', actions: ['lambda:UpdateFunctionCode'] },
  { id: 'lambda-004', actions: ['lambda:UpdateFunctionCode', 'lambda:InvokeFunction'] },
  { id: 'lambda-005', actions: ['lambda:UpdateFunctionCode', 'lambda:AddPermission'] },
  { id: 'lambda-006', actions: [P, 'lambda:CreateFunction', 'lambda:AddPermission'] },
  { id: 'omics-001', actions: [P, 'omics:CreateWorkflow', 'omics:StartRun', 's3:GetObject'] },
  { id: 'sagemaker-001', actions: [P, 'sagemaker:CreateNotebookInstance'] },
  { id: 'sagemaker-002', actions: [P, 'sagemaker:CreateTrainingJob'] },
  { id: 'sagemaker-003', actions: [P, 'sagemaker:CreateProcessingJob'] },
  { id: 'sagemaker-004', actions: ['sagemaker:CreatePresignedNotebookInstanceUrl'] },
  {
    id: 'sagemaker-005',
    actions: [
      'sagemaker:CreateNotebookInstanceLifecycleConfig',
      'sagemaker:StopNotebookInstance',
      'sagemaker:UpdateNotebookInstance',
      'sagemaker:StartNotebookInstance',
    ],
  },
  { id: 'ssm-001', actions: ['ssm:StartSession'] },
  { id: 'ssm-002', actions: ['ssm:SendCommand'] },
  { id: 'ssm-003', actions: [P, 'ssm:CreateDocument', 'ssm:StartAutomationExecution'] },
  { id: 'sts-001', actions: ['sts:AssumeRole'] },
];
