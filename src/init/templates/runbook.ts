/**
 * runbooks/requester-context.yaml, the runbook the request check runs about the requester. One
 * text for this repository's copy (test/init/templates.test.ts holds them equal) and every access
 * repository `jit init` creates, whose config names it in defaults.runbook.
 */
export const requesterContextRunbook = (
  schemaRef: string,
): string => `# yaml-language-server: $schema=${schemaRef}
#
# What a reviewer wants to know about the person asking for access: what they have been doing
# in AWS over the last 30 days, what they were refused, what is new, and whether they have ever
# used what they now ask for. Run it with \`jit runbook --principal ARN --source files:DIR\`, or
# \`--sso-user NAME\` for someone who signs in through IAM Identity Center.
name: requester-context
title: Requester activity
description: >
  The requester's CloudTrail activity over 30 days, for the request comment. "New" regions,
  source IPs and user agents are those first seen in the last 7 days of the window: never in
  the 23 days before.
window:
  since: 30d
parameters:
  principal:
    description: >
      The requester's IAM user or role ARN (a role covers all its sessions, written with or
      without its IAM path), or \`sso-user:NAME\` for an IAM Identity Center user: their sessions
      of every permission set's AWSReservedSSO_* role in every account, the name in any case.
    required: true
  account:
    description: The account alias the request is for (shown in the report).
  requested_actions:
    description: The IAM actions the request asks for (patterns allowed, e.g. s3:Get*).
    type: list
    default: []
queries:
  - id: daily
    title: Events per day
    groupBy: []
    series: day

  - id: services
    title: Top services
    groupBy: [eventSource]
    top: 10

  - id: actions
    title: Top actions
    groupBy: [eventSource, eventName]
    top: 15

  - id: errors
    title: Failed calls
    where:
      errorCode: { present: true }
    groupBy: [eventSource, eventName, errorCode]
    top: 15

  - id: access-denied
    title: Access denied (what was tried)
    where:
      errorCode:
        like: ['*AccessDenied*', '*UnauthorizedOperation*', '*Forbidden*', '*NotAuthorized*']
    groupBy: [eventSource, eventName, errorCode]
    top: 15

  - id: regions
    title: Regions
    groupBy: [awsRegion]
    firstSeen: { recent: 7d }
    top: 20

  - id: source-ips
    title: Source IP addresses
    groupBy: [sourceIPAddress]
    firstSeen: { recent: 7d }
    top: 20

  - id: user-agents
    title: User agents
    groupBy: [userAgent]
    firstSeen: { recent: 7d }
    top: 20

  - id: console-logins
    title: Console sign-ins and MFA
    where:
      eventName: ConsoleLogin
    groupBy: [additionalEventData.MFAUsed, responseElements.ConsoleLogin, sourceIPAddress]
    top: 20

  - id: jit-grants
    title: Earlier JIT grants and what was used
    analysis: jit-grants
    policyPath: /jit/
    top: 20

  - id: requested-actions
    title: Requested actions, used or denied before
    analysis: requested-actions
    actions: '{{requested_actions}}'

  - id: risk-flags
    title: Risk flags
    analysis: risk-flags
    flags:
      - id: console-login-without-mfa
        title: Console sign-in without MFA
        query: console-logins
        match: { additionalEventData.MFAUsed: 'No' }
      - id: console-login-failed
        title: Failed console sign-in
        query: console-logins
        match: { responseElements.ConsoleLogin: Failure }
      - id: new-region
        title: Activity in a region first seen in the last 7 days
        query: regions
        match: { new: true }
      - id: new-source-ip
        title: Calls from an IP address first seen in the last 7 days
        query: source-ips
        match: { new: true }
      - id: new-user-agent
        title: A user agent first seen in the last 7 days
        query: user-agents
        match: { new: true }
      - id: access-denied
        title: Calls refused for lack of permission
        query: access-denied
      - id: requested-never-used
        title: Requested actions never called before
        query: requested-actions
        match: { status: not-used }
      - id: requested-denied-before
        title: Requested actions refused before (likely the reason for the request)
        query: requested-actions
        match: { status: denied }
`;
