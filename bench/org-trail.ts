/**
 * A seeded organisation trail as S3 holds it: 4 accounts × 5 regions × `days` days under
 * `AWSLogs/<org-id>/<account>/CloudTrail/<region>/YYYY/MM/DD/`, gzipped `{"Records":[…]}` files
 * of 500–2,000 records named as CloudTrail names them, 100 principals (IAM users, assumed-role
 * sessions, AWS services), the requester about 2% of all records. Records carry the fields
 * CloudTrail writes (identity with session context, TLS details, request parameters, errors for
 * ~4% of calls, console sign-ins), so parsing costs what a real trail costs.
 *
 * The same seed and size give the same files; `ensureOrgTrail` reuses a complete earlier copy.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export const ORG_ID = 'o-a1b2c3d4e5';
export const ACCOUNTS = ['111111111111', '222222222222', '333333333333', '444444444444'];
export const REGIONS = ['us-east-1', 'eu-west-1', 'eu-central-1', 'ap-southeast-2', 'us-west-2'];
export const REQUESTER = `arn:aws:iam::${ACCOUNTS[0]}:user/people/alice`;
/** The trail ends here (exclusive); `days` days of records precede it. */
export const TRAIL_END = new Date('2026-11-30T00:00:00Z');

export interface OrgTrailOptions {
  root: string;
  records: number;
  days: number;
  seed: number;
}

export interface OrgTrail {
  root: string;
  records: number;
  files: number;
  gzBytes: number;
  requesterRecords: number;
  /** Found complete from an earlier run rather than written now. */
  reused?: boolean;
}

/** Writes the trail, or returns the one a previous run completed at `root` with these options. */
export function ensureOrgTrail(options: OrgTrailOptions): OrgTrail {
  const marker = join(options.root, 'trail.json');
  if (existsSync(marker)) {
    const done = JSON.parse(readFileSync(marker, 'utf8')) as OrgTrail & { options: unknown };
    if (JSON.stringify(done.options) === JSON.stringify(options)) return { ...done, reused: true };
  }
  rmSync(options.root, { recursive: true, force: true });
  const trail = writeOrgTrail(options);
  writeFileSync(marker, JSON.stringify({ ...trail, options }));
  return trail;
}

/** mulberry32: small, fast, and the same sequence everywhere for a seed. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Principal {
  arn: string;
  account: string;
  identity: (random: () => number, when: string) => Record<string, unknown>;
  agents: string[];
  ips: string[];
  /** How often it appears relative to the others. */
  weight: number;
}

const hex = (random: () => number, n: number): string =>
  Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
const upper = (random: () => number, n: number): string =>
  Array.from(
    { length: n },
    () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[Math.floor(random() * 32)],
  ).join('');
const uuid = (random: () => number): string =>
  `${hex(random, 8)}-${hex(random, 4)}-4${hex(random, 3)}-a${hex(random, 3)}-${hex(random, 12)}`;
const pick = <T>(random: () => number, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)]!;

const AGENTS = [
  'aws-cli/2.17.20 md/awscrt#0.20.11 ua/2.0 os/linux#6.5.0 md/arch#x86_64 lang/python#3.11.9 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/prompt#off md/command#s3.ls',
  'aws-sdk-js/3.600.0 ua/2.1 os/linux#5.10.219 lang/js md/nodejs#20.15.0 api/dynamodb#3.600.0 m/E',
  'Boto3/1.34.144 md/Botocore#1.34.144 ua/2.0 os/linux#5.10.219 md/arch#x86_64 lang/python#3.12.4 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.144',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  'APN/1.0 HashiCorp/1.0 Terraform/1.9.2 (+https://www.terraform.io) terraform-provider-aws/5.58.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.30.1 ua/2.0 os/linux lang/go#1.22.4 md/GOOS#linux md/GOARCH#amd64 api/ec2#1.168.0',
];

function principals(random: () => number): Principal[] {
  const out: Principal[] = [];
  const ips = () => Array.from({ length: 3 }, () => `203.0.113.${1 + Math.floor(random() * 250)}`);
  const user = (account: string, name: string, weight: number): Principal => {
    const principalId = `AIDA${upper(random, 17)}`;
    return {
      arn: `arn:aws:iam::${account}:user/people/${name}`,
      account,
      weight,
      agents: [pick(random, AGENTS), pick(random, AGENTS)],
      ips: ips(),
      identity: (r) => ({
        type: 'IAMUser',
        principalId,
        arn: `arn:aws:iam::${account}:user/people/${name}`,
        accountId: account,
        accessKeyId: `AKIA${upper(r, 16)}`,
        userName: name,
      }),
    };
  };
  const role = (account: string, name: string, session: string, weight: number): Principal => {
    const roleId = `AROA${upper(random, 17)}`;
    const arn = `arn:aws:sts::${account}:assumed-role/${name}/${session}`;
    return {
      arn,
      account,
      weight,
      agents: [pick(random, AGENTS)],
      ips: ips(),
      identity: (r, when) => ({
        type: 'AssumedRole',
        principalId: `${roleId}:${session}`,
        arn,
        accountId: account,
        accessKeyId: `ASIA${upper(r, 16)}`,
        sessionContext: {
          sessionIssuer: {
            type: 'Role',
            principalId: roleId,
            arn: `arn:aws:iam::${account}:role/${name}`,
            accountId: account,
            userName: name,
          },
          attributes: { creationDate: when, mfaAuthenticated: 'false' },
        },
      }),
    };
  };
  // The requester: one principal among 100, weighted to about 2% of the records.
  const requester = user(ACCOUNTS[0]!, 'alice', 0);
  for (let i = 0; i < 99; i++) {
    const account = ACCOUNTS[i % ACCOUNTS.length]!;
    if (i % 3 === 0) out.push(user(account, `person${i}`, 1));
    else if (i % 3 === 1) out.push(role(account, `deploy-${i}`, `gha-${hex(random, 8)}`, 1));
    else out.push(role(account, 'AWSServiceRoleForConfig', `config-${i}`, 1));
  }
  requester.weight = (0.02 * out.length) / 0.98;
  return [requester, ...out];
}

interface Api {
  source: string;
  name: string;
  readOnly: boolean;
  params: (random: () => number, account: string, region: string) => unknown;
  response?: (random: () => number) => unknown;
}

const APIS: Api[] = [
  {
    source: 'ec2.amazonaws.com',
    name: 'DescribeInstances',
    readOnly: true,
    params: () => ({ instancesSet: {}, filterSet: {} }),
  },
  {
    source: 's3.amazonaws.com',
    name: 'ListBuckets',
    readOnly: true,
    params: () => ({ Host: 's3.amazonaws.com' }),
  },
  {
    source: 's3.amazonaws.com',
    name: 'GetBucketAcl',
    readOnly: true,
    params: (r) => ({ bucketName: `acme-logs-${Math.floor(r() * 40)}`, acl: '' }),
  },
  {
    source: 'sts.amazonaws.com',
    name: 'AssumeRole',
    readOnly: true,
    params: (r, account) => ({
      roleArn: `arn:aws:iam::${account}:role/deploy-${Math.floor(r() * 30)}`,
      roleSessionName: `gha-${hex(r, 8)}`,
      durationSeconds: 3600,
    }),
    response: (r) => ({
      credentials: {
        accessKeyId: `ASIA${upper(r, 16)}`,
        sessionToken: hex(r, 64),
        expiration: 'Nov 30, 2026, 1:00:00 AM',
      },
    }),
  },
  {
    source: 'kms.amazonaws.com',
    name: 'Decrypt',
    readOnly: true,
    params: () => ({ encryptionAlgorithm: 'SYMMETRIC_DEFAULT' }),
  },
  {
    source: 'logs.amazonaws.com',
    name: 'GetLogEvents',
    readOnly: true,
    params: (r) => ({ logGroupName: `/aws/lambda/fn-${Math.floor(r() * 50)}`, limit: 100 }),
  },
  {
    source: 'lambda.amazonaws.com',
    name: 'ListFunctions20150331',
    readOnly: true,
    params: () => null,
  },
  {
    source: 'dynamodb.amazonaws.com',
    name: 'DescribeTable',
    readOnly: true,
    params: (r) => ({ tableName: `orders-${Math.floor(r() * 8)}` }),
  },
  {
    source: 'ssm.amazonaws.com',
    name: 'GetParameter',
    readOnly: true,
    params: (r) => ({ name: `/app/config/${hex(r, 6)}`, withDecryption: true }),
  },
  {
    source: 'iam.amazonaws.com',
    name: 'GetUser',
    readOnly: true,
    params: (r) => ({ userName: `person${Math.floor(r() * 99)}` }),
  },
  {
    source: 'monitoring.amazonaws.com',
    name: 'GetMetricData',
    readOnly: true,
    params: () => ({
      startTime: 'Nov 29, 2026, 11:00:00 PM',
      endTime: 'Nov 29, 2026, 11:55:00 PM',
    }),
  },
  {
    source: 'ec2.amazonaws.com',
    name: 'RunInstances',
    readOnly: false,
    params: (r) => ({
      instancesSet: { items: [{ imageId: `ami-${hex(r, 17)}`, minCount: 1, maxCount: 1 }] },
      instanceType: 't3.micro',
      subnetId: `subnet-${hex(r, 17)}`,
    }),
    response: (r) => ({ instancesSet: { items: [{ instanceId: `i-${hex(r, 17)}` }] } }),
  },
  {
    source: 'iam.amazonaws.com',
    name: 'AttachUserPolicy',
    readOnly: false,
    params: (r, account) => ({
      userName: 'alice',
      policyArn: `arn:aws:iam::${account}:policy/jit/jit-${hex(r, 8)}`,
    }),
  },
];

/** One record as CloudTrail writes it; `eventVersion` first, as in every real record. */
function record(
  random: () => number,
  who: Principal,
  account: string,
  region: string,
  ms: number,
): Record<string, unknown> {
  const when = new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const ip = pick(random, who.ips);
  const agent = pick(random, who.agents);
  if (random() < 0.004) {
    return {
      eventVersion: '1.09',
      userIdentity: who.identity(random, when),
      eventTime: when,
      eventSource: 'signin.amazonaws.com',
      eventName: 'ConsoleLogin',
      awsRegion: 'us-east-1',
      sourceIPAddress: ip,
      userAgent: AGENTS[3],
      requestParameters: null,
      responseElements: { ConsoleLogin: random() < 0.1 ? 'Failure' : 'Success' },
      additionalEventData: {
        LoginTo: 'https://console.aws.amazon.com/console/home',
        MobileVersion: 'No',
        MFAUsed: random() < 0.2 ? 'No' : 'Yes',
      },
      eventID: uuid(random),
      readOnly: false,
      eventType: 'AwsConsoleSignIn',
      managementEvent: true,
      recipientAccountId: account,
      eventCategory: 'Management',
    };
  }
  const api = pick(random, APIS);
  const denied = random() < 0.04;
  return {
    eventVersion: '1.09',
    userIdentity: who.identity(random, when),
    eventTime: when,
    eventSource: api.source,
    eventName: api.name,
    awsRegion: region,
    sourceIPAddress: ip,
    userAgent: agent,
    ...(denied
      ? {
          errorCode: api.source.startsWith('ec2') ? 'Client.UnauthorizedOperation' : 'AccessDenied',
          errorMessage: `User: ${who.arn} is not authorized to perform: ${api.source.split('.')[0]}:${api.name} because no identity-based policy allows the action`,
        }
      : {}),
    requestParameters: api.params(random, account, region),
    responseElements: denied || !api.response ? null : api.response(random),
    requestID: uuid(random),
    eventID: uuid(random),
    readOnly: api.readOnly,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: account,
    eventCategory: 'Management',
    tlsDetails: {
      tlsVersion: 'TLSv1.3',
      cipherSuite: 'TLS_AES_128_GCM_SHA256',
      clientProvidedHostHeader: `${api.source.split('.')[0]}.${region}.amazonaws.com`,
    },
  };
}

export function writeOrgTrail({ root, records, days, seed }: OrgTrailOptions): OrgTrail {
  const random = generator(seed);
  const people = principals(random);
  const byAccount = new Map(
    ACCOUNTS.map((a) => {
      const own = people.filter((p) => p.account === a);
      const total = own.reduce((n, p) => n + p.weight, 0);
      return [a, { own, total }];
    }),
  );
  const allWeight = people.reduce((n, p) => n + p.weight, 0);
  const perAccount = REGIONS.length * days;
  const start = TRAIL_END.getTime() - days * 86_400_000;
  let written = 0;
  let files = 0;
  let gzBytes = 0;
  let requesterRecords = 0;
  let assigned = 0;
  ACCOUNTS.forEach((account, a) => {
    const { own, total } = byAccount.get(account)!;
    // Each account holds the share of records its principals make; the last takes the rest.
    const inAccount =
      a === ACCOUNTS.length - 1 ? records - assigned : Math.round((records * total) / allWeight);
    assigned += inAccount;
    let cell = 0;
    for (const region of REGIONS) {
      for (let day = 0; day < days; day++, cell++) {
        const here =
          Math.floor(((cell + 1) * inAccount) / perAccount) -
          Math.floor((cell * inAccount) / perAccount);
        const dayMs = start + day * 86_400_000;
        const date = new Date(dayMs).toISOString().slice(0, 10).replace(/-/g, '/');
        const dir = join(root, 'AWSLogs', ORG_ID, account, 'CloudTrail', region, date);
        mkdirSync(dir, { recursive: true });
        // 500–2,000 records a file (fewer only when the whole day holds fewer).
        const size = 500 + Math.floor(random() * 1500);
        const count = Math.min(
          Math.max(1, Math.floor(here / 500)),
          Math.max(Math.ceil(here / 2000), Math.round(here / size)),
        );
        const span = 86_400_000 / count;
        for (let f = 0; f < count; f++) {
          const n = Math.floor(((f + 1) * here) / count) - Math.floor((f * here) / count);
          const list: Record<string, unknown>[] = [];
          for (let i = 0; i < n; i++) {
            let w = random() * total;
            let who = own.at(-1)!;
            for (const p of own)
              if ((w -= p.weight) < 0) {
                who = p;
                break;
              }
            if (who.arn === REQUESTER) requesterRecords++;
            const ms = dayMs + f * span + Math.floor((i / n) * span);
            list.push(record(random, who, account, region, ms));
          }
          // Delivered at the end of the span it covers, named as CloudTrail names its files.
          const delivered = new Date(dayMs + (f + 1) * span - 60_000);
          const stamp = delivered.toISOString().replace(/[-:]/g, '').slice(0, 13) + 'Z';
          const body = gzipSync(JSON.stringify({ Records: list }));
          writeFileSync(
            join(dir, `${account}_CloudTrail_${region}_${stamp}_${hex(random, 16)}.json.gz`),
            body,
          );
          written += n;
          files++;
          gzBytes += body.length;
        }
      }
    }
  });
  return { root, records: written, files, gzBytes, requesterRecords };
}
