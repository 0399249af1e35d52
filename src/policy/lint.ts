/**
 * Policy lint: every written action must name known actions, none may reach a denied action,
 * and what the statements grant is summarised (access levels, wildcards, escalation risks) for
 * the reviewer. Pure: statements and config in, findings out.
 */
import type { PermissionStatement } from '../domain.js';
import { error, type Problem } from '../problem.js';
import { ACCESS_LEVELS, expandAction, type AccessLevel, type ActionInfo } from './actions.js';
import { ESCALATIONS, FULL_ACCESS, type EscalationEntry, type RiskKind } from './escalation.js';
import { globToRegExp, hasWildcard } from './glob.js';
import { reachesScope } from './resources.js';
import { actsOnAny, resourceTypesOf } from './resource-types.js';

export interface StatementLint {
  /** Action entries as written. */
  actionsWritten: number;
  /** Distinct known actions they expand to. */
  expanded: number;
  wildcard: boolean;
}

export interface Risk {
  /** The granted action (or `a + b` for a combination) that carries the risk. */
  action: string;
  /** What kind of risk, in the order a reviewer should read them. */
  kinds: readonly RiskKind[];
  reason: string;
  sources: readonly string[];
  /** Where it is granted, e.g. `permissions[0].actions[1]`. */
  path: string;
  severity: 'high';
}

export interface PolicyLint {
  problems: Problem[];
  statements: StatementLint[];
  /** Distinct granted actions per access level, over all statements. */
  accessLevels: Record<AccessLevel, number>;
  risks: Risk[];
  /** Distinct known actions granted over all statements. */
  totalExpanded: number;
}

export interface LintOptions {
  /** Path of the statement list in the source, e.g. `permissions`. */
  pathPrefix: string;
  /** Action patterns no request may be granted: the config's denyActions. */
  denyActions: string[];
  /** Actions never granted whatever the config says, each with why (src/policy/baseline.ts). */
  baseline?: readonly { action: string; why: string }[];
}

interface Deny {
  pattern: string;
  re: RegExp;
  /** Set for a baseline entry: why it is never granted. */
  why?: string;
}

/** Where one action was granted: statement index and action index within it. */
interface Grant {
  statement: number;
  action: number;
}

const warning = (path: string, message: string, code?: string): Problem => ({
  path,
  message,
  severity: 'warning',
  ...(code === undefined ? {} : { code }),
});

export function lintStatements(
  statements: PermissionStatement[],
  options: LintOptions,
): PolicyLint {
  const { pathPrefix } = options;
  const problems: Problem[] = [];
  const risks: Risk[] = [];
  const grants = new Map<ActionInfo, Grant[]>();
  const deny: Deny[] = [
    ...(options.baseline ?? []).map(({ action, why }) => ({
      pattern: action,
      re: globToRegExp(action, true),
      why,
    })),
    ...options.denyActions.map((pattern) => ({ pattern, re: globToRegExp(pattern, true) })),
  ];

  const summaries = statements.map((statement, i): StatementLint => {
    const expandedHere = new Set<ActionInfo>();
    statement.actions.forEach((written, j) => {
      const path = `${pathPrefix}[${i}].actions[${j}]`;
      const expanded = expandAction(written, path);
      if (!expanded.ok) {
        problems.push(...expanded.problems.map((p) => ({ ...p, code: 'ACTION_UNKNOWN' })));
        return;
      }
      for (const info of expanded.value) {
        expandedHere.add(info);
        const where = grants.get(info) ?? [];
        where.push({ statement: i, action: j });
        grants.set(info, where);
      }
      problems.push(...denied(written, expanded.value, deny, path));
      if (written !== '*')
        problems.push(...actsOnNothing(written, expanded.value, statement, path));
      if (written === '*') risks.push({ ...FULL_ACCESS, action: '*', path, severity: 'high' });
      else if (/^[^:]+:\*$/.test(written))
        problems.push(serviceWide(written, expanded.value, path));
    });
    problems.push(...broadWrites(statement, expandedHere, `${pathPrefix}[${i}]`));
    return {
      actionsWritten: statement.actions.length,
      expanded: expandedHere.size,
      wildcard: statement.actions.some(hasWildcard),
    };
  });

  const services = new Set([...grants.keys()].map((info) => info.service));
  for (const entry of ESCALATIONS) {
    const risk = escalationRisk(entry, { grants, services }, statements, pathPrefix);
    if (risk) risks.push(risk);
  }

  const accessLevels = Object.fromEntries(ACCESS_LEVELS.map((l) => [l, 0])) as Record<
    AccessLevel,
    number
  >;
  for (const info of grants.keys()) accessLevels[info.accessLevel]++;

  return { problems, statements: summaries, accessLevels, risks, totalExpanded: grants.size };
}

function denied(written: string, expanded: ActionInfo[], deny: Deny[], path: string): Problem[] {
  const matches = (d: Deny) => expanded.filter((a) => d.re.test(a.action)).map((a) => a.action);
  // The baseline first and as one finding: its reason is the better one when both name an action.
  const baseline = deny.filter((d) => d.why !== undefined);
  const baselineHits = [...new Set(baseline.flatMap(matches))];
  const findings: Problem[] = [];
  if (baselineHits.length > 0) {
    const first = baseline.find((d) => d.re.test(baselineHits[0]!))!;
    findings.push(
      hasWildcard(written)
        ? error(
            path,
            `\`${written}\` includes ${count(baselineHits)} jit-access never grants (${shown(baselineHits)}; see docs/configuration.md): list the actions needed instead`,
          )
        : error(
            path,
            `\`${baselineHits[0]}\` is never granted through jit-access: ${first.why} (see docs/configuration.md)`,
          ),
    );
  }
  for (const d of deny.filter((d) => d.why === undefined)) {
    const hits = matches(d).filter((a) => !baselineHits.includes(a));
    if (hits.length === 0) continue;
    findings.push(
      hasWildcard(written)
        ? error(
            path,
            `\`${written}\` includes ${hits.length} denied action${hits.length === 1 ? '' : 's'} (${shown(hits)}; denyActions: \`${d.pattern}\`): list the actions needed instead`,
          )
        : error(path, `\`${hits[0]}\` is never granted here (denyActions: \`${d.pattern}\`)`),
    );
  }
  return findings.map((p) => ({ ...p, code: 'ACTION_DENIED' }));
}

const count = (hits: string[]) => `${hits.length} action${hits.length === 1 ? '' : 's'}`;
const shown = (hits: string[]) =>
  hits.slice(0, 3).join(', ') + (hits.length > 3 ? `, … ${hits.length - 3} more` : '');

function serviceWide(written: string, expanded: ActionInfo[], path: string): Problem {
  const writes = expanded.filter(
    (a) => a.accessLevel !== 'List' && a.accessLevel !== 'Read',
  ).length;
  return warning(
    path,
    `\`${written}\` grants all ${expanded.length} actions of the service, ${writes} of them beyond reading: list the ones needed`,
    'SERVICE_WIDE_ACTION',
  );
}

/**
 * An action none of whose resource types is among the statement's resources is granted nothing:
 * `s3:GetObject` on a bucket ARN, `s3:ListBucket` on `bucket/*`. A pattern warns only when none
 * of the actions it matches acts on them.
 */
function actsOnNothing(
  written: string,
  expanded: ActionInfo[],
  statement: PermissionStatement,
  path: string,
): Problem[] {
  if (expanded.some((info) => actsOnAny(info, statement.resources))) return [];
  const code = 'ACTION_MATCHES_NO_RESOURCE';
  const [only] = expanded;
  if (expanded.length > 1 || !only)
    return [
      warning(
        path,
        `none of the ${expanded.length} actions \`${written}\` matches acts on this statement's resources: as written it grants nothing; check the resource ARNs`,
        code,
      ),
    ];
  const types = resourceTypesOf(only);
  if (types.length === 0)
    return [
      warning(
        path,
        `\`${only.action}\` acts on no specific resource, so it is granted only with resource \`*\`: put it in a statement with resources: ['*']`,
        code,
      ),
    ];
  const shown = types
    .slice(0, 3)
    .map((t) => `${t.name} (${t.formats.join(' or ')})`)
    .join(', ');
  const more = types.length > 3 ? ` and ${types.length - 3} more` : '';
  return [
    warning(
      path,
      `\`${only.action}\` acts on ${shown}${more}, and none of this statement's resources is one: as written it grants nothing; add a resource of that form`,
      code,
    ),
  ];
}

/** Write or permissions-management actions on resource `*` reach every resource in the account. */
function broadWrites(
  statement: PermissionStatement,
  expanded: Set<ActionInfo>,
  path: string,
): Problem[] {
  const at = statement.resources.indexOf('*');
  if (at < 0) return [];
  const count = [...expanded].filter(
    (a) => a.accessLevel === 'Write' || a.accessLevel === 'Permissions management',
  ).length;
  if (count === 0) return [];
  return [
    warning(
      `${path}.resources[${at}]`,
      `resource \`*\` lets ${count} write or permissions-management action${count === 1 ? '' : 's'} touch every resource: name the resources`,
      'BROAD_WRITE',
    ),
  ];
}

/** Known actions per catalogue pattern: the catalogue is fixed, so each expands once. */
const expansions = new Map<string, readonly ActionInfo[]>();

function expandPattern(pattern: string): readonly ActionInfo[] {
  let known = expansions.get(pattern);
  if (!known) {
    const expanded = expandAction(pattern);
    // An unknown name grants nothing; test/policy/lint.test.ts refuses such an entry.
    known = expanded.ok ? expanded.value : [];
    expansions.set(pattern, known);
  }
  return known;
}

/** What a policy grants: each known action's grants, and the services of those actions. */
interface Granted {
  grants: Map<ActionInfo, Grant[]>;
  services: Set<string>;
}

/** The grants of the known actions an escalation entry's action (name or pattern) covers. */
function grantsOf(
  pattern: string,
  levels: readonly AccessLevel[] | undefined,
  { grants, services }: Granted,
): [ActionInfo, Grant][] {
  // A pattern of a service the policy grants nothing of matches no grant; not expanding it spares
  // indexing that service's catalogue (the entries name 40 services, a request usually one).
  const colon = pattern.indexOf(':');
  const service = pattern.slice(0, colon).toLowerCase();
  if (colon > 0 && !hasWildcard(service) && !services.has(service)) return [];
  return expandPattern(pattern)
    .filter((a) => !levels || levels.includes(a.accessLevel))
    .flatMap((a) => (grants.get(a) ?? []).map((g): [ActionInfo, Grant] => [a, g]));
}

function escalationRisk(
  entry: EscalationEntry,
  granted: Granted,
  statements: PermissionStatement[],
  pathPrefix: string,
): Risk | undefined {
  const [first, ...rest] = entry.actions;
  const hit = grantsOf(first!, entry.levels, granted).find(
    ([, g]) =>
      !entry.resources || reachesScope(statements[g.statement]!.resources, entry.resources),
  );
  if (!hit) return undefined;
  const others = rest.map((pattern) => grantsOf(pattern, entry.levels, granted)[0]?.[0]);
  if (others.some((o) => o === undefined)) return undefined;
  const [info, grant] = hit;
  return {
    action: [info, ...others].map((a) => a!.action).join(' + '),
    kinds: entry.kinds,
    reason: entry.reason,
    sources: entry.sources,
    path: `${pathPrefix}[${grant.statement}].actions[${grant.action}]`,
    severity: 'high',
  };
}
