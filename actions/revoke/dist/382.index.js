export const id = 382;
export const ids = [382];
export const modules = {

/***/ 1416:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $w: () => (/* binding */ POLICY_ATTACHMENT_EVENTS),
/* harmony export */   QW: () => (/* binding */ eventTimeMs),
/* harmony export */   Yv: () => (/* binding */ deniedAccess),
/* harmony export */   fy: () => (/* binding */ wantedBy),
/* harmony export */   j9: () => (/* binding */ actsOnPrincipal)
/* harmony export */ });
/* harmony import */ var _principal_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1662);

/**
 * `Date.parse(eventTime)`, with a fast path for the way CloudTrail writes times
 * (`2026-03-01T10:00:00Z`, optionally with milliseconds): a few character codes instead of the
 * general date parser, for a number read per record. Anything else, and any date the fast path
 * is not certain of (days past the 28th, hour 24), goes to `Date.parse`, so the result is always
 * the same as `Date.parse`'s.
 */
function eventTimeMs(eventTime) {
    if (typeof eventTime !== 'string')
        return Date.parse(eventTime);
    const s = eventTime;
    const n = s.length;
    if ((n === 20 || (n === 24 && s.charCodeAt(19) === 46)) && // `.`
        s.charCodeAt(n - 1) === 90 && // `Z`
        s.charCodeAt(4) === 45 &&
        s.charCodeAt(7) === 45 && // `-`
        s.charCodeAt(10) === 84 && // `T`
        s.charCodeAt(13) === 58 &&
        s.charCodeAt(16) === 58 // `:`
    ) {
        const year = digits(s, 0, 4);
        const month = digits(s, 5, 2);
        const day = digits(s, 8, 2);
        const hour = digits(s, 11, 2);
        const minute = digits(s, 14, 2);
        const second = digits(s, 17, 2);
        const ms = n === 24 ? digits(s, 20, 3) : 0;
        if (year >= 1000 && // Date.UTC reads years 0-99 as 19xx
            month >= 1 &&
            month <= 12 &&
            day >= 1 &&
            day <= 28 &&
            hour >= 0 &&
            hour <= 23 &&
            minute >= 0 &&
            minute <= 59 &&
            second >= 0 &&
            second <= 59 &&
            ms >= 0)
            return Date.UTC(year, month - 1, day, hour, minute, second, ms);
    }
    return Date.parse(s);
}
/** The decimal number in `length` characters of `s` from `at`; -1 if one is not a digit. */
function digits(s, at, length) {
    let value = 0;
    for (let i = at; i < at + length; i++) {
        const d = s.charCodeAt(i) - 48;
        if (d < 0 || d > 9)
            return -1;
        value = value * 10 + d;
    }
    return value;
}
/** IAM calls that manage the policies attached to a user or a role. */
const POLICY_ATTACHMENT_EVENTS = [
    'AttachUserPolicy',
    'DetachUserPolicy',
    'AttachRolePolicy',
    'DetachRolePolicy',
];
/**
 * An IAM policy attachment call on the principal, by whoever made it, compiled once per run:
 * for a user `requestParameters.userName` names it; for a role, `requestParameters.roleName`.
 */
function actsOnPrincipal(principal) {
    const target = (0,_principal_js__WEBPACK_IMPORTED_MODULE_0__/* .attachmentTarget */ .XJ)(principal);
    if (!target)
        return () => false;
    const { field, name } = target;
    const events = POLICY_ATTACHMENT_EVENTS;
    return (record) => record.eventSource === 'iam.amazonaws.com' &&
        events.includes(record.eventName) &&
        record.requestParameters?.[field] === name;
}
/** Whether a source should yield the record for the query (time aside), compiled once. */
function wantedBy(query) {
    const principal = query.principal;
    if (!principal)
        return () => true;
    const own = (0,_principal_js__WEBPACK_IMPORTED_MODULE_0__/* .madeByPrincipal */ .DL)(principal);
    if (query.includeActsOn !== true)
        return own;
    const on = actsOnPrincipal(principal);
    return (record) => own(record) || on(record);
}
/** Error codes of a call refused for lack of permission, across services' spellings. */
const ACCESS_DENIED = /AccessDenied|UnauthorizedOperation|Forbidden|NotAuthorized/i;
const deniedAccess = (record) => typeof record.errorCode === 'string' && ACCESS_DENIED.test(record.errorCode);


/***/ }),

/***/ 9382:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  athenaSource: () => (/* binding */ athenaSource)
});

// UNUSED EXPORTS: ATHENA_PAGE_SIZE, runAthenaQuery, runRunbookAthena

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-athena/dist-cjs/index.js
var dist_cjs = __webpack_require__(2204);
;// CONCATENATED MODULE: ./src/runbook/collector.ts
/**
 * Largest count first; ties broken by the other fields' values as JSON text
 * (`JSON.stringify` of the row's entries but `count`), compared by code unit, so the order is
 * the same on every machine and locale.
 *
 * That text is compared one entry's JSON at a time, each made once and only when reached: an
 * entry's JSON (`["key",value]`) is never a proper prefix of another's, so the first entry that
 * differs decides as the whole text would, and a grant's row, which holds its actions, is told
 * from another by its policy and time without writing its actions out.
 */
function sortRows(rows) {
    const parts = new Map();
    const partsOf = (row) => {
        let p = parts.get(row);
        if (!p)
            parts.set(row, (p = { entries: Object.entries(row).filter(([k]) => k !== 'count'), json: [] }));
        return p;
    };
    const entry = (p, i) => (p.json[i] ??= JSON.stringify(p.entries[i]));
    return rows.sort((a, b) => {
        if (a.count !== b.count)
            return b.count - a.count;
        const pa = partsOf(a);
        const pb = partsOf(b);
        const n = Math.min(pa.entries.length, pb.entries.length);
        for (let i = 0; i < n; i++) {
            const ea = entry(pa, i);
            const eb = entry(pb, i);
            if (ea !== eb)
                return ea < eb ? -1 : 1;
        }
        // One row's entries are the other's first ones: the whole texts then differ at `]` (this
        // one ended) against `,` (more follow), and `,` sorts first.
        return pb.entries.length - pa.entries.length;
    });
}
/**
 * A query's result from all its sorted rows: the first `top` of them, and the exact `total` of
 * all (how many rows, the sum of their counts), so a report never passes the rows shown off as
 * the whole.
 */
function collector_resultOf(query, rows) {
    let count = 0;
    for (const row of rows)
        count += row.count;
    return {
        id: query.id,
        title: query.title,
        total: { rows: rows.length, count },
        rows: query.top === undefined ? rows : rows.slice(0, query.top),
    };
}
/** `2026-03-01T10:00:00Z` → `2026-03-01`: CloudTrail times are UTC. */
const dayOf = (ms) => new Date(ms).toISOString().slice(0, 10);
/** The UTC day of a record: cut from its time when written as CloudTrail does (`…Z`). */
const dayOfRecord = (eventTime, at) => eventTime.length >= 20 && eventTime.endsWith('Z') && eventTime[10] === 'T'
    ? eventTime.slice(0, 10)
    : dayOf(at);
/** Every UTC day the window touches, oldest first. */
function windowDays(window) {
    const days = [];
    const last = dayOf(window.to.getTime());
    for (let t = window.from.getTime();; t += 86_400_000) {
        const day = dayOf(t);
        days.push(day);
        if (day >= last)
            return days;
    }
}

// EXTERNAL MODULE: ./src/policy/glob.ts
var glob = __webpack_require__(4062);
// EXTERNAL MODULE: ./src/runbook/event.ts
var runbook_event = __webpack_require__(1416);
;// CONCATENATED MODULE: ./src/runbook/where.ts


/**
 * A reader for one dotted path (`userIdentity.sessionContext.sessionIssuer.arn`), compiled once per query rather than split per record. Only own
 * properties count, so `constructor` or `toString` never reach Object.prototype; paths without
 * such names skip that check, which is most of the cost.
 */
function fieldReader(path) {
    const keys = path.split('.');
    const inherited = keys.some((k) => k in Object.prototype);
    const [a, b, c] = keys;
    // The usual paths, one to three names deep, without a loop or the own-property check.
    if (!inherited && keys.length === 1)
        return (record) => record[a];
    if (!inherited && keys.length === 2)
        return (record) => {
            const v = record[a];
            return v !== null && typeof v === 'object' ? v[b] : undefined;
        };
    if (!inherited && keys.length === 3)
        return (record) => {
            const v = record[a];
            if (v === null || typeof v !== 'object')
                return undefined;
            const w = v[b];
            return w !== null && typeof w === 'object' ? w[c] : undefined;
        };
    return (record) => {
        let value = record;
        for (const key of keys) {
            if (value === null || typeof value !== 'object')
                return undefined;
            if (inherited && !Object.hasOwn(value, key))
                return undefined;
            value = value[key];
        }
        return value;
    };
}
/** A field as a row shows it: scalars as they are, a missing field as null, structures as JSON. */
function rowValue(value) {
    if (value === undefined || value === null)
        return null;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
        return value;
    return JSON.stringify(value);
}
/** A `where` as a predicate; time conditions relative to the window are resolved at `windowEnd`. */
function compileWhere(where, windowEnd) {
    const tests = where.map(({ path, condition }) => {
        const test = compileCondition(condition, windowEnd);
        const read = fieldReader(path);
        return (record) => test(read(record));
    });
    if (tests.length === 1)
        return tests[0];
    return (record) => {
        for (let i = 0; i < tests.length; i++)
            if (!tests[i](record))
                return false;
        return true;
    };
}
function compileCondition(condition, windowEnd) {
    switch (condition.kind) {
        case 'in': {
            const values = new Set(condition.values);
            // A missing field equals null, so `errorCode: null` reads "no error".
            return (v) => values.has(v === undefined ? null : v);
        }
        case 'prefix':
            return (v) => typeof v === 'string' && condition.values.some((p) => v.startsWith(p));
        case 'like': {
            const patterns = condition.patterns.map((p) => (0,glob/* globToRegExp */.tL)(p, false));
            return (v) => typeof v === 'string' && patterns.some((p) => p.test(v));
        }
        case 'present':
            return (v) => (v !== undefined && v !== null) === condition.present;
        case 'time': {
            const from = condition.withinMs !== undefined
                ? windowEnd.getTime() - condition.withinMs
                : (condition.from?.getTime() ?? -Infinity);
            const to = condition.to?.getTime() ?? Infinity;
            return (v) => {
                const at = typeof v === 'string' ? (0,runbook_event/* eventTimeMs */.QW)(v) : Number.NaN;
                return at >= from && at < to;
            };
        }
        case 'not': {
            const inner = compileCondition(condition.condition, windowEnd);
            return (v) => !inner(v);
        }
    }
}

;// CONCATENATED MODULE: ./src/runbook/group.ts


/**
 * Counts per distinct `groupBy` values; memory grows with distinct values, not records. Groups
 * are found through one Map per field, keyed by the values themselves (Map keys compare as
 * `JSON.stringify` of a row value would, 0 and -0 alike), so a record costs a lookup per field
 * and no key text.
 */
function groupCollector(query, window) {
    /** Every group, in the order first seen. */
    const groups = [];
    const readers = query.groupBy.map(fieldReader);
    const depth = readers.length;
    /** Nested by field: a Map per field, its last level holding the groups. */
    const root = new Map();
    const series = query.series;
    const firstSeen = query.firstSeen !== undefined;
    const newGroup = (values) => {
        const group = { values, count: 0, ...(series ? { days: new Map() } : {}) };
        groups.push(group);
        return group;
    };
    const find = (record) => {
        if (depth === 0)
            return groups[0] ?? newGroup([]);
        let level = root;
        for (let i = 0; i < depth - 1; i++) {
            const value = rowValue(readers[i](record));
            let next = level.get(value);
            if (!next)
                level.set(value, (next = new Map()));
            level = next;
        }
        const value = rowValue(readers[depth - 1](record));
        let group = level.get(value);
        if (!group) {
            // Read again, only for a new group: the values it shows.
            group = newGroup(readers.map((read) => rowValue(read(record))));
            level.set(value, group);
        }
        return group;
    };
    return {
        add(record, _own, ms) {
            const group = find(record);
            group.count++;
            if (group.days) {
                const day = dayOfRecord(record.eventTime, ms);
                group.days.set(day, (group.days.get(day) ?? 0) + 1);
            }
            if (firstSeen && (!group.first || ms < group.first.ms))
                group.first = { ms, text: record.eventTime };
        },
        finish() {
            // With no groupBy there is one row, the total, even when nothing matched.
            if (depth === 0 && groups.length === 0)
                newGroup([]);
            return groupRows(groups, query, window);
        },
    };
}
/** A group query's rows from its groups: fields, first-seen and series, sorted, all of them. */
function groupRows(groups, query, window) {
    const days = query.series ? windowDays(window) : [];
    const recentFrom = query.firstSeen && window.to.getTime() - query.firstSeen.recentMs;
    const rows = [...groups].map((g) => {
        const fields = {};
        query.groupBy.forEach((path, i) => (fields[path] = g.values[i] ?? null));
        if (recentFrom !== undefined && g.first) {
            fields.firstSeen = g.first.text;
            fields.new = g.first.ms >= recentFrom;
        }
        if (g.days)
            fields.series = Object.fromEntries(days.map((d) => [d, g.days.get(d) ?? 0]));
        // The count last, as the JSON form shows it: the group-by fields, then the count.
        return { ...fields, count: g.count };
    });
    return sortRows(rows);
}

// EXTERNAL MODULE: ./src/revoke/usage.ts
var usage = __webpack_require__(7777);
;// CONCATENATED MODULE: ./src/runbook/analyses/action.ts

/**
 * `actionOf`, remembered per event source and name for one run: a record costs two Map lookups
 * instead of a regular expression and a new string. Memory grows with distinct actions, not
 * records.
 */
function actionsOf() {
    const bySource = new Map();
    return (record) => {
        const { eventSource, eventName } = record;
        // Anything but text goes the long way, failing or not exactly as actionOf does.
        if (typeof eventSource !== 'string' || typeof eventName !== 'string')
            return (0,usage/* actionOf */.q)(record);
        let byName = bySource.get(eventSource);
        if (!byName)
            bySource.set(eventSource, (byName = new Map()));
        let action = byName.get(eventName);
        if (action === undefined)
            byName.set(eventName, (action = (0,usage/* actionOf */.q)(record)));
        return action;
    };
}

;// CONCATENATED MODULE: ./src/runbook/analyses/jit-grants.ts



/**
 * Earlier grants: attachments of policies under the grant path to the principal (made by the
 * broker, so read with `actsOn`), each paired with the next detachment of the same policy or
 * the window's end; and what the principal called while each was attached.
 *
 * Records arrive in no order, so which calls fall inside a grant is only known at the end: this
 * is the one collector that keeps something per record, the time of each of the principal's
 * calls (a number per call, grouped by action), not the records themselves.
 */
function jitGrantsCollector(principal, query, window) {
    const marker = `:policy${query.policyPath}`;
    const attachments = [];
    const callTimes = new Map();
    const actsOn = (0,runbook_event/* actsOnPrincipal */.j9)(principal);
    const actionOf = actionsOf();
    return {
        add(record, own, ms) {
            const policyArn = record.requestParameters?.policyArn;
            if (!record.errorCode &&
                typeof policyArn === 'string' &&
                policyArn.includes(marker) &&
                actsOn(record)) {
                attachments.push({
                    policyArn,
                    ms,
                    at: record.eventTime,
                    attach: record.eventName.startsWith('Attach'),
                });
                return;
            }
            if (!own)
                return;
            const action = actionOf(record);
            let times = callTimes.get(action);
            if (!times)
                callTimes.set(action, (times = []));
            times.push(ms);
        },
        finish() {
            attachments.sort((a, b) => a.ms - b.ms || Number(a.attach) - Number(b.attach));
            for (const times of callTimes.values())
                times.sort((a, b) => a - b);
            const calls = [...callTimes];
            const windowEnd = window.to.getTime();
            // Each attachment ends at the first detachment of its policy after it in this order:
            // walking backwards, the last detachment seen per policy is that one. One pass, where
            // searching forward from each attachment was quadratic in the attachments.
            const nextDetach = new Map();
            const rows = [];
            for (let i = attachments.length - 1; i >= 0; i--) {
                const a = attachments[i];
                if (!a.attach) {
                    nextDetach.set(a.policyArn, a);
                    continue;
                }
                const detach = nextDetach.get(a.policyArn);
                const end = detach?.ms ?? windowEnd;
                const actions = [];
                let count = 0;
                for (const [action, times] of calls) {
                    const n = countBetween(times, a.ms, end);
                    if (n > 0) {
                        actions.push({ action, count: n });
                        count += n;
                    }
                }
                rows.push({
                    policyArn: a.policyArn,
                    attachedAt: a.at,
                    detachedAt: detach?.at ?? null,
                    actions: sortRows(actions),
                    count,
                });
            }
            return sortRows(rows);
        },
    };
}
/** How many of the sorted `times` lie in [from, to]. */
function countBetween(times, from, to) {
    return firstAtLeast(times, to + 1) - firstAtLeast(times, from);
}
/** Index of the first time ≥ `t` (binary search). */
function firstAtLeast(times, t) {
    let lo = 0;
    let hi = times.length;
    while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (times[mid] < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

;// CONCATENATED MODULE: ./src/runbook/analyses/requested-actions.ts




/**
 * For each requested action pattern, the principal's calls that match it (IAM action names
 * compare case-insensitively): `used` succeeded, `denied` were refused for lack of permission,
 * `count` is every matching call. `status` sums it up: `used` (some call succeeded), `denied`
 * (none did and some were refused: often the reason for the request) or `not-used`. A pattern
 * never called still has its row, so the reviewer learns it is new to the requester.
 */
function requestedActionsCollector(query) {
    const patterns = [...new Set(query.actions)].map((action) => ({
        action,
        test: (0,glob/* globToRegExp */.tL)(action, true),
        used: 0,
        denied: 0,
        count: 0,
        lastUsed: null,
    }));
    const actionOf = actionsOf();
    /** The patterns each action matches, found once per distinct action. */
    const matching = new Map();
    return {
        add(record, own) {
            if (!own)
                return;
            const action = actionOf(record);
            let hits = matching.get(action);
            if (!hits)
                matching.set(action, (hits = patterns.filter((p) => p.test.test(action))));
            if (hits.length === 0)
                return;
            const denied = (0,runbook_event/* deniedAccess */.Yv)(record);
            for (const p of hits) {
                p.count++;
                if (denied)
                    p.denied++;
                else if (!record.errorCode) {
                    p.used++;
                    if (p.lastUsed === null || record.eventTime > p.lastUsed)
                        p.lastUsed = record.eventTime;
                }
            }
        },
        finish() {
            return sortRows(patterns.map((p) => ({
                action: p.action,
                status: p.used > 0 ? 'used' : p.denied > 0 ? 'denied' : 'not-used',
                used: p.used,
                denied: p.denied,
                lastUsed: p.lastUsed,
                count: p.count,
            })));
        },
    };
}

;// CONCATENATED MODULE: ./src/runbook/analyses/risk-flags.ts

/**
 * Flags raised by the rows of earlier queries: a flag is raised when at least one row matches
 * all its fields; `rows` is how many did and `count` the sum of their counts. Flags not raised
 * are left out, so the report lists only what needs a reviewer's eye.
 */
function riskFlagsCollector(query) {
    return {
        add() { },
        finish(earlier) {
            const rows = query.flags.flatMap((flag) => {
                const source = earlier.find((r) => r.id === flag.query)?.rows ?? [];
                const matching = source.filter((row) => Object.entries(flag.match).every(([field, value]) => row[field] === value));
                if (matching.length === 0)
                    return [];
                const count = matching.reduce((n, r) => n + r.count, 0);
                return [{ flag: flag.id, title: flag.title, rows: matching.length, count }];
            });
            return sortRows(rows);
        },
    };
}

// EXTERNAL MODULE: ./src/runbook/principal.ts
var runbook_principal = __webpack_require__(1662);
;// CONCATENATED MODULE: ./src/runbook/engine.ts








/**
 * Runs a bound runbook over one pass of a source: every record goes through every query's
 * filter into its collector, and only the collectors' aggregates stay in memory.
 */
async function runRunbook(runbook, source, now, 
/** Regions to read (us-east-1, where IAM logs, is always read); all when absent. */
regions) {
    const whole = await collectRows(runbook, source, now, regions);
    return {
        runbook: runbook.name,
        window: windowOf(runbook, now),
        results: runbook.queries.map((query, i) => resultOf(query, whole[i].rows)),
    };
}
/** The window a run covers, as the JSON form shows it. */
const windowOf = (runbook, now) => ({
    from: new Date(now.getTime() - runbook.sinceMs).toISOString(),
    to: now.toISOString(),
});
/**
 * Every row of every query, in the runbook's order, none cut to `top`: what risk flags are
 * derived from and what `resultOf` cuts for the output.
 */
async function collectRows(runbook, source, now, regions) {
    const window = { from: new Date(now.getTime() - runbook.sinceMs), to: now };
    const principal = (0,runbook_principal/* parsePrincipal */.gA)(runbook.principal);
    const madeBy = (0,runbook_principal/* madeByPrincipal */.DL)(principal);
    const queries = runbook.queries.map((query) => ({
        query,
        // An empty `where` matches every record: no call at all.
        matches: query.where.length > 0 ? compileWhere(query.where, window.to) : undefined,
        collector: collectorFor(query, principal, window),
    }));
    // Which queries see a record is settled once per run, not per record and query: the
    // principal's own calls go to every query that reads records, others' calls on it only to
    // those that count anyone's (and jit-grants, which finds the attachments among them). Risk
    // flags are read from earlier results, never from records.
    const reading = queries.filter(({ query }) => query.kind !== 'risk-flags');
    const forOwn = reading.map(({ matches, collector }) => ({ matches, collector }));
    const forOthers = reading
        .filter(({ query }) => query.actor !== 'principal' || query.kind === 'jit-grants')
        .map(({ matches, collector }) => ({ matches, collector }));
    const from = window.from.getTime();
    const to = window.to.getTime();
    const includeActsOn = runbook.queries.some((q) => q.actor === 'anyone' || q.kind === 'jit-grants');
    const query = {
        from: window.from,
        to: window.to,
        principal,
        includeActsOn,
        ...(regions?.length ? { regions } : {}),
    };
    const stream = source.batches?.(query) ?? singles(source.events(query));
    for await (const batch of stream) {
        for (let r = 0; r < batch.length; r++) {
            const record = batch[r];
            // Sources read by day or by API window; the engine holds the exact bounds, [from, to].
            const at = (0,runbook_event/* eventTimeMs */.QW)(record.eventTime);
            if (!(at >= from && at <= to))
                continue;
            const own = madeBy(record);
            const targets = own ? forOwn : forOthers;
            for (let q = 0; q < targets.length; q++) {
                const { matches, collector } = targets[q];
                if (matches === undefined || matches(record))
                    collector.add(record, own, at);
            }
        }
    }
    const whole = [];
    for (const { query, collector } of queries)
        whole.push({ id: query.id, title: query.title, rows: collector.finish(whole) });
    return whole;
}
function collectorFor(query, principal, window) {
    switch (query.kind) {
        case 'group':
            return groupCollector(query, window);
        case 'requested-actions':
            return requestedActionsCollector(query);
        case 'jit-grants':
            return jitGrantsCollector(principal, query, window);
        case 'risk-flags':
            return riskFlagsCollector(query);
    }
}
async function* singles(records) {
    for await (const record of records)
        yield [record];
}

;// CONCATENATED MODULE: ./src/runbook/sql/cloudtrail-table.ts
/**
 * The CloudTrail table as Athena reads it: the shape AWS documents in "Querying AWS CloudTrail
 * logs" / "Create the table for CloudTrail logs in Athena using partition projection"
 * (https://docs.aws.amazon.com/athena/latest/ug/create-cloudtrail-table-partition-projection.html).
 * Nested identity fields are STRUCTs, `eventtime` is a STRING, `requestparameters`,
 * `responseelements`, `additionaleventdata` and `serviceeventdetails` are STRINGs holding JSON
 * text, `resources` is an ARRAY of STRUCTs, and `readonly` is a STRING (`'true'`/`'false'`).
 *
 * AWS's example projects one partition key, `timestamp` (`yyyy/MM/dd`), for one account and
 * region. An organisation trail spans accounts and regions, so the DDL below (what the SQL
 * compiler targets) also projects `account` and `region` as injected partition keys over the
 * same S3 layout (`AWSLogs/<org-id>/<account>/CloudTrail/<region>/<yyyy>/<MM>/<dd>/`).
 *
 * One description, `CLOUDTRAIL_COLUMNS`, serves the compiler (which dotted runbook paths are
 * columns) and the Athena source (rebuilding records from rows). The emulator keeps its own,
 * written from the same documentation, so a column wrong here fails its tests. Names are
 * CloudTrail's spelling; SQL uses them lowercased, as Hive and Athena do.
 */
const s = (name) => ({ name, type: 'string' });
const struct = (name, fields) => ({ name, type: { struct: fields } });
const CLOUDTRAIL_COLUMNS = [
    s('eventVersion'),
    struct('userIdentity', [
        s('type'),
        s('principalId'),
        s('arn'),
        s('accountId'),
        s('invokedBy'),
        s('accessKeyId'),
        s('userName'),
        struct('onBehalfOf', [s('userId'), s('identityStoreArn')]),
        struct('sessionContext', [
            struct('attributes', [s('mfaAuthenticated'), s('creationDate')]),
            struct('sessionIssuer', [
                s('type'),
                s('principalId'),
                s('arn'),
                s('accountId'),
                s('userName'),
            ]),
            s('ec2RoleDelivery'),
            struct('webIdFederationData', [
                s('federatedProvider'),
                { name: 'attributes', type: { map: 'string' } },
            ]),
        ]),
    ]),
    s('eventTime'),
    s('eventSource'),
    s('eventName'),
    s('awsRegion'),
    s('sourceIPAddress'),
    s('userAgent'),
    s('errorCode'),
    s('errorMessage'),
    { name: 'requestParameters', type: 'json' },
    { name: 'responseElements', type: 'json' },
    { name: 'additionalEventData', type: 'json' },
    s('requestID'),
    s('eventID'),
    { name: 'readOnly', type: 'boolean' },
    { name: 'resources', type: { array: [s('ARN'), s('accountId'), s('type')] } },
    s('eventType'),
    s('apiVersion'),
    s('recipientAccountId'),
    { name: 'serviceEventDetails', type: 'json' },
    s('sharedEventID'),
    s('vpcEndpointId'),
    s('vpcEndpointAccountId'),
    s('eventCategory'),
    struct('addendum', [
        s('reason'),
        s('updatedFields'),
        s('originalRequestID'),
        s('originalEventID'),
    ]),
    s('sessionCredentialFromConsole'),
    { name: 'edgeDeviceDetails', type: 'json' },
    struct('tlsDetails', [s('tlsVersion'), s('cipherSuite'), s('clientProvidedHostHeader')]),
];
/** The projected partition keys, in the order of the S3 path. */
const PARTITION_COLUMNS = (/* unused pure expression or super */ null && (['account', 'region', 'timestamp']));
/** `2026-03-01T10:00:00Z` → `2026/03/01`: the `timestamp` partition value of a UTC day. */
const partitionDay = (ms) => new Date(ms).toISOString().slice(0, 10).replaceAll('-', '/');
function hiveType(type, indent) {
    if (type === 'string' || type === 'json' || type === 'boolean')
        return 'STRING';
    if ('map' in type)
        return 'MAP<STRING,STRING>';
    const inner = indent + '    ';
    const fields = ('struct' in type ? type.struct : type.array)
        .map((c) => `${inner}${c.name.toLowerCase()}: ${hiveType(c.type, inner)}`)
        .join(',\n');
    const body = `STRUCT<\n${fields}>`;
    return 'struct' in type ? body : `ARRAY<${body}>`;
}
/**
 * The `CREATE EXTERNAL TABLE` to run once in Athena for an organisation trail's bucket, e.g.
 * `cloudTrailTableDdl({ table: 'cloudtrail.logs', location: 's3://trail-bucket/AWSLogs/o-abc123',
 * accounts: ['123456789012'], regions: ['us-east-1', 'eu-west-1'], since: '2024/01/01' })`.
 */
function cloudTrailTableDdl(options) {
    const columns = CLOUDTRAIL_COLUMNS.map((c) => `    ${c.name.toLowerCase()} ${hiveType(c.type, '    ')}`).join(',\n');
    const location = options.location.replace(/\/+$/, '');
    return `CREATE EXTERNAL TABLE ${options.table} (
${columns}
)
PARTITIONED BY (account STRING, region STRING, \`timestamp\` STRING)
ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'
STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
LOCATION '${location}'
TBLPROPERTIES (
    'projection.enabled'='true',
    'projection.account.type'='enum',
    'projection.account.values'='${options.accounts.join(',')}',
    'projection.region.type'='enum',
    'projection.region.values'='${options.regions.join(',')}',
    'projection.timestamp.type'='date',
    'projection.timestamp.format'='yyyy/MM/dd',
    'projection.timestamp.interval'='1',
    'projection.timestamp.interval.unit'='DAYS',
    'projection.timestamp.range'='${options.since},NOW',
    'storage.location.template'='${location}/\${account}/CloudTrail/\${region}/\${timestamp}'
)`;
}

;// CONCATENATED MODULE: ./src/runbook/sql/compile.ts



const IDENTIFIER = /^[A-Za-z0-9_]+$/;
const JSON_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const DAY_MS = 86_400_000;
/** `db.table` as a quoted SQL name; anything but letters, digits and `_` is refused. */
function tableName(spec) {
    const parts = spec.split('.');
    if (parts.length !== 2 || !parts.every((p) => IDENTIFIER.test(p)))
        throw new Error(`an Athena table is DATABASE.TABLE in letters, digits and _, not "${spec}"`);
    return parts.map((p) => `"${p.toLowerCase()}"`).join('.');
}
/**
 * The column (or JSON-text path) a dotted CloudTrail path names, or undefined when the table
 * has no such column: names compare as CloudTrail spells them, as the other sources do.
 */
function sqlField(path) {
    const keys = path.split('.');
    let columns = CLOUDTRAIL_COLUMNS;
    const sql = [];
    for (let i = 0; i < keys.length; i++) {
        const column = columns.find((c) => c.name === keys[i]);
        if (!column)
            return undefined;
        sql.push(column.name.toLowerCase());
        const type = column.type;
        const rest = keys.slice(i + 1);
        if (type === 'string' || type === 'boolean')
            return rest.length === 0
                ? { path, sql: sql.join('.'), kind: type === 'boolean' ? 'boolean' : 'string' }
                : undefined;
        if (type === 'json') {
            // The whole JSON text is an object, not a value; a path into it is a scalar.
            if (rest.length === 0 || !rest.every((k) => JSON_KEY.test(k)))
                return undefined;
            const column = sql.join('.');
            const jsonPath = `'$.${rest.join('.')}'`;
            return {
                path,
                sql: `json_extract_scalar(${column}, ${jsonPath})`,
                kind: 'json-scalar',
                json: `json_format(json_extract(${column}, ${jsonPath}))`,
            };
        }
        if (!('struct' in type))
            return undefined;
        columns = type.struct;
    }
    return undefined;
}
/** Collects `?` values in order. */
class Params {
    values = [];
    add(value) {
        this.values.push(value);
        return '?';
    }
}
/** A `where` as a two-valued SQL predicate (never NULL), or undefined if a path is no column. */
function compile_compileWhere(where, windowEnd, params) {
    const out = [];
    for (const { path, condition } of where) {
        const field = sqlField(path);
        if (!field)
            return undefined;
        out.push(`COALESCE(${compile_compileCondition(field, condition, windowEnd, params)}, FALSE)`);
    }
    return out;
}
/** The field is missing or null (for a JSON path: absent or JSON `null`, not an object). */
const isNull = (f) => f.json ? `COALESCE(${f.json}, 'null') = 'null'` : `${f.sql} IS NULL`;
/** The field holds a string: a STRING column always; a JSON path when its JSON is `"…"`. */
const isString = (f) => f.json ? `substr(${f.json}, 1, 1) = '"'` : undefined;
const and = (a, b) => (b ? `(${a} AND ${b})` : a);
/**
 * One condition, with the other sources' semantics: values compare as values (a string never
 * equals a boolean or a number, in a JSON path too), a missing field is null, `prefix`, `like`
 * and `time` hold for strings only, `like` is a case-sensitive glob.
 */
function compile_compileCondition(field, condition, windowEnd, params) {
    const x = field.sql;
    const text = field.kind !== 'boolean';
    switch (condition.kind) {
        case 'in': {
            const parts = [];
            const strings = [];
            const others = [];
            for (const value of condition.values) {
                const literal = valueAsColumnText(field.kind, value);
                if (value === null)
                    parts.push(isNull(field));
                else if (literal !== undefined)
                    (typeof value === 'string' ? strings : others).push(params.add(literal));
            }
            if (strings.length)
                parts.push(and(`${x} IN (${strings.join(', ')})`, isString(field)));
            if (others.length) {
                const notString = isString(field);
                parts.push(and(`${x} IN (${others.join(', ')})`, notString && `NOT ${notString}`));
            }
            return parts.length ? `(${parts.join(' OR ')})` : 'FALSE';
        }
        case 'prefix':
            if (!text || condition.values.length === 0)
                return 'FALSE';
            return and(`(${condition.values.map((p) => `starts_with(${x}, ${params.add(p)})`).join(' OR ')})`, isString(field));
        case 'like':
            if (!text || condition.patterns.length === 0)
                return 'FALSE';
            return and(`(${condition.patterns
                .map((p) => `${x} LIKE ${params.add(globToLike(p))} ESCAPE '\\'`)
                .join(' OR ')})`, isString(field));
        case 'present':
            return condition.present ? `NOT (${isNull(field)})` : isNull(field);
        case 'time': {
            if (!text)
                return 'FALSE';
            const from = condition.withinMs !== undefined
                ? new Date(windowEnd.getTime() - condition.withinMs)
                : condition.from;
            const bounds = [];
            const at = `from_iso8601_timestamp(${x})`;
            if (from)
                bounds.push(`${at} >= from_iso8601_timestamp(${params.add(from.toISOString())})`);
            if (condition.to)
                bounds.push(`${at} < from_iso8601_timestamp(${params.add(condition.to.toISOString())})`);
            return and(bounds.length ? `(${bounds.join(' AND ')})` : `${at} IS NOT NULL`, isString(field));
        }
        case 'not':
            return `NOT COALESCE(${compile_compileCondition(field, condition.condition, windowEnd, params)}, FALSE)`;
    }
}
/**
 * The column text a value equals, or undefined if it can never equal the field: a STRING
 * column holds strings; `readonly` holds `'true'`/`'false'` for JSON booleans; a JSON path's
 * scalar is text whatever its JSON type, so its JSON text's first character tells a string
 * from a number or a boolean (see `isString`).
 */
function valueAsColumnText(kind, value) {
    if (value === null)
        return undefined;
    if (kind === 'string')
        return typeof value === 'string' ? value : undefined;
    if (kind === 'boolean')
        return typeof value === 'boolean' ? String(value) : undefined;
    return String(value);
}
/** An IAM-style glob (`*` any run, `?` one character) as a LIKE pattern escaped with `\`. */
function globToLike(glob) {
    let out = '';
    for (const c of glob)
        out += c === '*' ? '%' : c === '?' ? '_' : c === '%' || c === '_' || c === '\\' ? `\\${c}` : c;
    return out;
}
/** What every query reads: the window, the partitions it spans, the principal's records. */
function baseFilter(query, params) {
    const out = [];
    // A log file sits in the folder of its delivery day, minutes after its calls: a day more.
    out.push(`"timestamp" BETWEEN ${params.add(partitionDay(query.from.getTime()))} AND ${params.add(partitionDay(query.to.getTime() + DAY_MS))}`);
    out.push(`from_iso8601_timestamp(eventtime) BETWEEN from_iso8601_timestamp(${params.add(query.from.toISOString())}) AND from_iso8601_timestamp(${params.add(query.to.toISOString())})`);
    if (query.regions?.length) {
        const regions = [...new Set(['us-east-1', ...query.regions])];
        const list = () => regions.map((r) => params.add(r)).join(', ');
        out.push(`region IN (${list()})`, `awsregion IN (${list()})`);
    }
    if (query.principal) {
        const own = ownCalls(query.principal, params);
        const target = (0,runbook_principal/* attachmentTarget */.XJ)(query.principal);
        if (query.includeActsOn && target) {
            const events = runbook_event/* POLICY_ATTACHMENT_EVENTS */.$w.filter((e) => e.includes(target.field === 'userName' ? 'User' : 'Role'));
            const acts = `eventsource = ${params.add('iam.amazonaws.com')}` +
                ` AND eventname IN (${events.map((e) => params.add(e)).join(', ')})` +
                ` AND json_extract_scalar(requestparameters, '$.${target.field}') = ${params.add(target.name)}`;
            out.push(`COALESCE(${own} OR (${acts}), FALSE)`);
        }
        else
            out.push(`COALESCE(${own}, FALSE)`);
    }
    return out;
}
const ISSUER = 'useridentity.sessioncontext.sessionissuer.arn';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
/** Text matched literally by LIKE … ESCAPE '\\'. */
const likeLiteral = (text) => text.replace(/[\\%_]/g, (c) => `\\${c}`);
/** The principal's own calls: `madeByPrincipal` (principal.ts) in SQL, clause for clause. */
function ownCalls(p, params) {
    switch (p.kind) {
        case 'user':
        case 'arn':
            return `(useridentity.arn = ${params.add(p.arn)} OR ${ISSUER} = ${params.add(p.arn)})`;
        case 'role': {
            const prefix = (0,runbook_principal/* rolePrefix */.l6)(p);
            return (`(useridentity.arn = ${params.add(p.arn)} OR ${ISSUER} = ${params.add(prefix + p.name)}` +
                ` OR ${ISSUER} LIKE ${params.add(`${likeLiteral(prefix)}%/${likeLiteral(p.name)}`)} ESCAPE '\\')`);
        }
        case 'sso-user':
            // `split_part` is 1-based: 2 is the role name, 3 the session name of an assumed-role ARN.
            return (`(useridentity.type = ${params.add('AssumedRole')}` +
                ` AND starts_with(split_part(useridentity.arn, '/', 2), ${params.add(runbook_principal/* SSO_ROLE_PREFIX */.eF)})` +
                ` AND translate(split_part(useridentity.arn, '/', 3), ${params.add(UPPER)}, ${params.add(UPPER.toLowerCase())}) = ${params.add((0,runbook_principal/* foldCase */.SP)(p.userName))}` +
                ` AND ${ISSUER} LIKE ${params.add(`arn:%:iam::%:role${likeLiteral(runbook_principal/* SSO_ROLE_PATH */.fR)}%`)} ESCAPE '\\')`);
    }
}
/** Every leaf column, by its path: what a record is rebuilt from. */
function leafFields() {
    const out = [];
    const walk = (columns, path, sql) => {
        for (const c of columns) {
            const p = [...path, c.name];
            const q = [...sql, c.name.toLowerCase()];
            if (c.type === 'string')
                out.push({ path: p.join('.'), sql: q.join('.'), kind: 'string' });
            else if (c.type === 'boolean')
                out.push({ path: p.join('.'), sql: q.join('.'), kind: 'boolean' });
            // A JSON-text column comes back as its text; the source parses it.
            else if (c.type === 'json')
                out.push({ path: p.join('.'), sql: q.join('.'), kind: 'string' });
            else if ('struct' in c.type)
                walk(c.type.struct, p, q);
            // Arrays and maps have no portable text form in results: left out of rebuilt records.
        }
    };
    walk(CLOUDTRAIL_COLUMNS, [], []);
    return out;
}
/** The principal's records in the window, as leaf columns `c0…cN` (see `leafFields`). */
function compileEvents(table, query) {
    const params = new Params();
    const fields = leafFields();
    const select = fields.map((f, i) => `${f.sql} AS c${i}`).join(', ');
    const where = baseFilter(query, params);
    return {
        sql: `SELECT ${select} FROM ${tableName(table)} WHERE ${where.join(' AND ')}`,
        params: params.values,
    };
}
/**
 * The `day` a record's series counts it under, as the other sources cut it: the first ten
 * characters of a CloudTrail-style time (`…T…Z`); any other time is returned whole and its day
 * is taken client-side from the parsed instant.
 */
const DAY_SQL = "CASE WHEN length(eventtime) >= 20 AND substr(eventtime, 11, 1) = 'T' AND " +
    "substr(eventtime, length(eventtime), 1) = 'Z' THEN substr(eventtime, 1, 10) ELSE eventtime END";
/** A group query as one aggregate, or undefined if it must run client-side. */
function compileGroup(table, query, events, windowEnd) {
    const fields = query.groupBy.map(sqlField);
    if (fields.some((f) => !f))
        return undefined;
    const params = new Params();
    const where = [...baseFilter(events, params)];
    const conditions = compile_compileWhere(query.where, windowEnd, params);
    if (!conditions)
        return undefined;
    where.push(...conditions);
    const inner = [
        // A JSON path is grouped by its JSON text: `5` and `"5"` stay apart, as in records.
        ...fields.map((f, i) => `${f.json ?? f.sql} AS g${i}`),
        ...(query.series ? [`${DAY_SQL} AS event_day`] : []),
        'eventtime',
    ];
    const keys = [...fields.map((_, i) => `g${i}`), ...(query.series ? ['event_day'] : [])];
    const outer = [
        ...keys,
        ...(query.firstSeen
            ? ['min_by(eventtime, from_iso8601_timestamp(eventtime)) AS first_seen']
            : []),
        'count(*) AS n',
    ];
    const sql = `SELECT ${outer.join(', ')} FROM (SELECT ${inner.join(', ')} FROM ${tableName(table)}` +
        ` WHERE ${where.join(' AND ')})${keys.length ? ` GROUP BY ${keys.join(', ')}` : ''}`;
    return { sql, params: params.values, fields: fields };
}
/**
 * A value as Athena's `ExecutionParameters` take it: the text of an SQL literal. Strings are
 * quoted with every `'` doubled, so whatever a value contains (`'`, `--`, `;`) it stays one
 * string literal.
 */
function athenaLiteral(value) {
    return `'${value.replaceAll("'", "''")}'`;
}

;// CONCATENATED MODULE: ./src/runbook/sources/athena.ts
/**
 * Amazon Athena over the trail's S3 bucket (the CloudTrail table in `../sql/cloudtrail-table.ts`)
 * as a runbook engine. `runRunbookAthena` gives the same `RunbookResult` as `runRunbook` over
 * the files or LookupEvents sources: group queries run in Athena as aggregates (see
 * `../sql/compile.ts` for what compiles), the rest run through the ordinary engine on the
 * principal's records, which `athenaSource` reads with one query.
 *
 * Each query: `StartQueryExecution` (the SQL with `?` placeholders, the values as
 * `ExecutionParameters`, the workgroup and output location), `GetQueryExecution` polled with
 * backoff until it ends, then `GetQueryResults` paged (the first page's first row is the
 * header) and each value converted by its column's type.
 *
 * Records read back for the client-side analyses have the table's columns only: `resources`
 * (an array, with no portable text form in results) and fields outside the documented table
 * (e.g. `managementEvent`) are absent, so a runbook grouping by those differs from the files
 * source; the default runbook does not.
 */








/** GetQueryResults returns at most 1,000 rows a page. */
const ATHENA_PAGE_SIZE = 1000;
/** Runs one statement and yields its rows page by page, typed by the result's column types. */
async function* runAthenaQuery(options, query) {
    const { client } = options;
    const started = await client.send(new dist_cjs/* StartQueryExecutionCommand */.Wjk({
        QueryString: query.sql,
        ...(query.params.length ? { ExecutionParameters: query.params.map(athenaLiteral) } : {}),
        ...(options.workGroup ? { WorkGroup: options.workGroup } : {}),
        ...(options.outputLocation
            ? { ResultConfiguration: { OutputLocation: options.outputLocation } }
            : {}),
    }));
    const id = started.QueryExecutionId;
    if (!id)
        throw new Error('Athena started no query execution');
    await waitFor(options, id);
    let token;
    let first = true;
    do {
        const page = await client.send(new dist_cjs/* GetQueryResultsCommand */.sAK({
            QueryExecutionId: id,
            MaxResults: ATHENA_PAGE_SIZE,
            ...(token ? { NextToken: token } : {}),
        }));
        const columns = page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? [];
        const rows = (page.ResultSet?.Rows ?? []).slice(first ? 1 : 0);
        first = false;
        yield rows.map((row) => {
            const out = {};
            columns.forEach((column, i) => {
                out[column.Name ?? `_col${i}`] = typed(column, row.Data?.[i]?.VarCharValue);
            });
            return out;
        });
        token = page.NextToken;
    } while (token);
}
async function waitFor(options, id) {
    const sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    let delay = options.poll?.initialMs ?? 200;
    const max = options.poll?.maxMs ?? 5000;
    const deadline = Date.now() + (options.poll?.timeoutMs ?? 30 * 60_000);
    for (;;) {
        const { QueryExecution: execution } = await options.client.send(new dist_cjs/* GetQueryExecutionCommand */.mRu({ QueryExecutionId: id }));
        const state = execution?.Status?.State;
        if (state === 'SUCCEEDED')
            return;
        if (state === 'FAILED' || state === 'CANCELLED') {
            const reason = execution?.Status?.StateChangeReason ?? execution?.Status?.AthenaError?.ErrorMessage;
            throw new Error(`Athena query ${id} ${state}${reason ? `: ${reason}` : ''}`);
        }
        if (Date.now() > deadline)
            throw new Error(`Athena query ${id} still ${state} after waiting`);
        await sleep(delay);
        delay = Math.min(max, delay * 2);
    }
}
/** A result value by its column's type; Athena sends every value as text, NULL as none. */
function typed(column, text) {
    if (text === undefined)
        return null;
    switch (column.Type?.toLowerCase()) {
        case 'tinyint':
        case 'smallint':
        case 'integer':
        case 'bigint':
        case 'double':
        case 'real':
        case 'float':
        case 'decimal':
            return Number(text);
        case 'boolean':
            return text === 'true';
        default:
            return text;
    }
}
const JSON_COLUMNS = new Set(CLOUDTRAIL_COLUMNS.filter((c) => c.type === 'json').map((c) => c.name));
/** A record rebuilt from a `compileEvents` row: null columns are absent fields. */
function recordOf(fields, row) {
    const record = {};
    fields.forEach((field, i) => {
        const value = row[`c${i}`];
        if (value === null || value === undefined)
            return;
        const keys = field.path.split('.');
        let target = record;
        for (const key of keys.slice(0, -1))
            target = (target[key] ??= {});
        const key = keys[keys.length - 1];
        if (field.kind === 'boolean')
            target[key] = value === 'true' || value === true;
        else if (JSON_COLUMNS.has(field.path) && typeof value === 'string') {
            try {
                target[key] = JSON.parse(value);
            }
            catch {
                target[key] = value;
            }
        }
        else
            target[key] = value;
    });
    return record;
}
function athenaSource(options) {
    async function* batches(query) {
        const fields = leafFields();
        for await (const page of runAthenaQuery(options, compileEvents(options.table, query)))
            yield page.map((row) => recordOf(fields, row));
    }
    return {
        name: 'athena',
        batches,
        async *events(query) {
            for await (const batch of batches(query))
                yield* batch;
        },
        runRunbook: (runbook, now, regions) => runRunbookAthena(runbook, options, now, regions),
    };
}
/**
 * A group value as the other sources show it (`rowValue`): readonly's text back to a boolean,
 * a JSON path's JSON text to its value (an object as its JSON).
 */
function decode(field, value) {
    if (value === null)
        return null;
    if (field.kind === 'boolean')
        return value === 'true' || value === true;
    if (field.json && typeof value === 'string') {
        const parsed = JSON.parse(value);
        return parsed !== null && typeof parsed === 'object'
            ? JSON.stringify(parsed)
            : parsed;
    }
    return typeof value === 'string' ? value : String(value);
}
/** The rows of a compiled group query, as `groupCollector` makes them from records. */
async function groupResult(options, query, compiled, window) {
    const groups = new Map();
    for await (const page of runAthenaQuery(options, compiled)) {
        for (const row of page) {
            const values = compiled.fields.map((f, i) => decode(f, row[`g${i}`] ?? null));
            const key = JSON.stringify(values);
            let group = groups.get(key);
            if (!group) {
                group = { values, count: 0, ...(query.series ? { days: new Map() } : {}) };
                groups.set(key, group);
            }
            const n = Number(row.n);
            group.count += n;
            if (group.days && typeof row.event_day === 'string') {
                const day = row.event_day.length === 10 ? row.event_day : dayOf(Date.parse(row.event_day));
                group.days.set(day, (group.days.get(day) ?? 0) + n);
            }
            if (query.firstSeen && typeof row.first_seen === 'string') {
                const ms = Date.parse(row.first_seen);
                if (!group.first || ms < group.first.ms)
                    group.first = { ms, text: row.first_seen };
            }
        }
    }
    // A total over nothing is one row of 0 (count(*) without GROUP BY): the same as no row.
    if (query.groupBy.length === 0 && groups.size === 0)
        groups.set('[]', { values: [], count: 0, ...(query.series ? { days: new Map() } : {}) });
    return groupRows(groups.values(), query, window);
}
/**
 * Runs `work` on each item, at most `limit` at a time, results in the items' order. After a
 * failure no new item starts, and the ones running are waited for before it is thrown.
 */
async function pool(items, limit, work) {
    const out = new Array(items.length);
    let next = 0;
    let failed = false;
    const worker = async () => {
        while (next < items.length && !failed) {
            const i = next++;
            try {
                out[i] = await work(items[i]);
            }
            catch (e) {
                failed = true;
                throw e;
            }
        }
    };
    const settled = await Promise.allSettled(Array.from({ length: Math.min(limit, items.length) }, worker));
    for (const s of settled)
        if (s.status === 'rejected')
            throw s.reason;
    return out;
}
/**
 * The runbook on Athena: same window, same rows, same order as `runRunbook` on any other source.
 */
async function runRunbookAthena(runbook, options, now, regions) {
    const window = { from: new Date(now.getTime() - runbook.sinceMs), to: now };
    const base = {
        from: window.from,
        to: window.to,
        principal: (0,runbook_principal/* parsePrincipal */.gA)(runbook.principal),
        ...(regions?.length ? { regions } : {}),
    };
    const compiled = new Map();
    for (const query of runbook.queries) {
        if (query.kind !== 'group')
            continue;
        const sql = compileGroup(options.table, query, { ...base, includeActsOn: query.actor === 'anyone' }, window.to);
        if (sql)
            compiled.set(query.id, sql);
    }
    const clientSide = runbook.queries.filter((q) => q.kind !== 'risk-flags' && !compiled.has(q.id));
    const aggregates = [...compiled];
    // Both halves settle before a failure is thrown: no query is left running unread.
    const [groupedRun, restRun] = await Promise.allSettled([
        pool(aggregates, options.concurrency ?? 4, ([id, sql]) => groupResult(options, runbook.queries.find((q) => q.id === id), sql, window)),
        clientSide.length
            ? collectRows({ ...runbook, queries: clientSide }, athenaSource(options), now, regions)
            : undefined,
    ]);
    if (groupedRun.status === 'rejected')
        throw groupedRun.reason;
    if (restRun.status === 'rejected')
        throw restRun.reason;
    const grouped = groupedRun.value;
    const rest = restRun.value;
    const byId = new Map(aggregates.map(([id], i) => [id, grouped[i]]));
    for (const result of rest ?? [])
        byId.set(result.id, result.rows);
    // Risk flags read every row of the queries before them, as in `collectRows`.
    const whole = [];
    for (const query of runbook.queries) {
        const rows = query.kind === 'risk-flags'
            ? riskFlagsCollector(query).finish(whole)
            : (byId.get(query.id) ?? []);
        whole.push({ id: query.id, title: query.title, rows });
    }
    return {
        runbook: runbook.name,
        window: windowOf(runbook, now),
        results: runbook.queries.map((query, i) => collector_resultOf(query, whole[i].rows)),
    };
}


/***/ })

};
