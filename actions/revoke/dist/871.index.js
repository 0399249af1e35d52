export const id = 871;
export const ids = [871];
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

/***/ 3871:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  lookupEventsSource: () => (/* binding */ lookupEventsSource)
});

// UNUSED EXPORTS: LOOKUP_PAGE_SIZE, LOOKUP_RETENTION_MS

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-cloudtrail/dist-cjs/index.js
var dist_cjs = __webpack_require__(7392);
// EXTERNAL MODULE: ./src/runbook/event.ts
var runbook_event = __webpack_require__(1416);
// EXTERNAL MODULE: ./src/runbook/principal.ts
var principal = __webpack_require__(1662);
;// CONCATENATED MODULE: ./src/runbook/sources/merge.ts
/**
 * Interleaves async iterables, yielding each item as soon as its iterable produces it: regions
 * are read in parallel, and the consumer sees their records without waiting for the slowest.
 */
async function* merge(sources) {
    const iterators = sources.map((s) => s[Symbol.asyncIterator]());
    const next = (i) => iterators[i].next().then((result) => ({ i, result }));
    const pending = new Map(iterators.map((_, i) => [i, next(i)]));
    try {
        while (pending.size > 0) {
            const { i, result } = await Promise.race(pending.values());
            if (result.done)
                pending.delete(i);
            else {
                pending.set(i, next(i));
                yield result.value;
            }
        }
    }
    finally {
        // The consumer stopped early or one region failed: stop the others' paging too.
        await Promise.allSettled(iterators.map((it) => it.return?.()));
    }
}

;// CONCATENATED MODULE: ./src/runbook/sources/rate-limiter.ts
/**
 * A client-side limiter: at most `perSecond` calls in any one-second window, so normal operation
 * never meets the service's throttling. Calls wait their turn in order.
 *
 * `take` counts a call from when it starts. `run` counts it from when its answer came back: the
 * service counts a call when it arrives, which is later than the start by a varying latency, so
 * "two starts a second" can still be three arrivals in one second (a slow call, then two fast
 * ones). Counting from completion is the one bound that holds whatever the latency.
 */
class RateLimiter {
    perSecond;
    clock;
    sleep;
    /** When each call in the last second counted, oldest first. */
    times = [];
    queue = Promise.resolve();
    constructor(perSecond, clock = () => Date.now(), sleep = (ms) => new Promise((done) => setTimeout(done, ms))) {
        this.perSecond = perSecond;
        this.clock = clock;
        this.sleep = sleep;
    }
    take() {
        return this.turn(() => undefined);
    }
    /** Runs `call` in its turn; its slot is held until it settles and counted from then. */
    async run(call) {
        let started = 0;
        await this.turn((at) => (started = at));
        try {
            return await call();
        }
        finally {
            // Its start may already have aged out of the window, if the call took over a second.
            const slot = this.times.indexOf(started);
            if (slot >= 0)
                this.times.splice(slot, 1);
            const done = this.clock();
            const at = this.times.findIndex((t) => t > done);
            this.times.splice(at < 0 ? this.times.length : at, 0, done);
        }
    }
    /** Waits for a free slot and takes it, telling `taken` the time it did. */
    turn(taken) {
        const turn = this.queue.then(() => this.wait(taken));
        this.queue = turn.then(() => undefined, () => undefined);
        return turn;
    }
    async wait(taken) {
        for (;;) {
            const now = this.clock();
            while (this.times.length > 0 && now - this.times[0] >= 1000)
                this.times.shift();
            if (this.times.length < this.perSecond) {
                this.times.push(now);
                taken(now);
                return;
            }
            await this.sleep(1000 - (now - this.times[0]));
        }
    }
}

;// CONCATENATED MODULE: ./src/runbook/sources/lookup-events.ts





/** LookupEvents reaches back 90 days and no further. */
const LOOKUP_RETENTION_MS = 90 * 24 * 3600_000;
/** The most events one LookupEvents page returns. */
const LOOKUP_PAGE_SIZE = 50;
/** IAM (and global STS) events are logged in us-east-1's event history. */
const GLOBAL_REGION = 'us-east-1';
/**
 * CloudTrail's LookupEvents as an event source. The API takes one lookup attribute per call, so
 * each lookup asks for the most selective one there is (the user name of an IAM user; for a role
 * or an Identity Center user nothing narrower than the window, see `lookupAttribute`) and the
 * rest is filtered here. Regions are read in parallel, each under its own 2-per-second limiter, and
 * records are yielded page by page as they come.
 */
function lookupEventsSource(options) {
    const all = [...new Set([GLOBAL_REGION, ...options.regions])];
    const limiters = new Map(all.map((r) => [r, options.limiter?.(r) ?? new RateLimiter(options.ratePerSecond ?? 2)]));
    return {
        name: 'lookup-events',
        async *events(query) {
            const now = (options.now ?? (() => new Date()))();
            const from = new Date(Math.max(query.from.getTime(), now.getTime() - LOOKUP_RETENTION_MS));
            if (from.getTime() > query.to.getTime())
                return;
            const narrowed = { ...query, from };
            const regions = query.regions
                ? all.filter((r) => r === GLOBAL_REGION || query.regions.includes(r))
                : all;
            const streams = regions.map((region) => lookups(options.client(region), limiters.get(region), region, narrowed));
            // The same event can answer two lookups (a user attaching a policy to itself); event ids
            // are kept to drop the second copy: one short string per event, not the event.
            const seen = new Set();
            for await (const record of merge(streams)) {
                if (record.eventID) {
                    if (seen.has(record.eventID))
                        continue;
                    seen.add(record.eventID);
                }
                yield record;
            }
        },
    };
}
/** The lookups one region needs for the query, one after the other under its limiter. */
async function* lookups(client, limiter, region, query) {
    const own = (0,runbook_event/* wantedBy */.fy)({ ...query, includeActsOn: false });
    for await (const record of pages(client, limiter, query, lookupAttribute(query.principal)))
        if (own(record))
            yield record;
    const target = query.principal && (0,principal/* attachmentTarget */.XJ)(query.principal);
    if (!query.includeActsOn || !target || region !== GLOBAL_REGION)
        return;
    const on = (0,runbook_event/* actsOnPrincipal */.j9)(query.principal);
    const kind = target.field === 'userName' ? 'User' : 'Role';
    for (const name of runbook_event/* POLICY_ATTACHMENT_EVENTS */.$w.filter((n) => n.includes(kind))) {
        const attribute = { AttributeKey: 'EventName', AttributeValue: name };
        for await (const record of pages(client, limiter, query, attribute))
            if (on(record))
                yield record;
    }
}
async function* pages(client, limiter, query, attribute) {
    let token;
    do {
        const input = {
            StartTime: query.from,
            EndTime: query.to,
            MaxResults: LOOKUP_PAGE_SIZE,
            ...(attribute ? { LookupAttributes: [attribute] } : {}),
            ...(token ? { NextToken: token } : {}),
        };
        const page = await limiter.run(() => client.send(new dist_cjs/* LookupEventsCommand */.nau(input)));
        for (const e of page.Events ?? [])
            if (e.CloudTrailEvent)
                yield JSON.parse(e.CloudTrailEvent);
        token = page.NextToken;
    } while (token);
}
/**
 * LookupEvents' `Username` is the IAM user's name for its calls, and a role session's name for
 * the session's (https://docs.aws.amazon.com/cli/latest/reference/cloudtrail/lookup-events.html
 * shows an assumed-role event listed under its session name). So an IAM user is looked up by
 * its name. A role's sessions are named by whoever assumed it, and an Identity Center user's
 * session name is their user name in the case the identity store keeps, which may not be the
 * case asked for. AWS does not document the lookup as ignoring case, so it is taken to match
 * exactly (as the emulator does): for both only the time window is safe, and the rest is
 * filtered here.
 */
function lookupAttribute(principal) {
    return principal?.kind === 'user'
        ? { AttributeKey: 'Username', AttributeValue: principal.name }
        : undefined;
}


/***/ })

};
