/**
 * Reminders and tidiness, with the built revoke action against the emulators: the requester is
 * reminded once before a grant ends, however often the sweep runs and whoever deletes the
 * comment; a request left open past the configured age is closed; nothing else is.
 */
import { approvedAndMerged, recordsOf, sweep } from '../trust/helpers.js';
import { CONFIG, REPO, pushed, requestFile, run, world, type World, GRANT } from './world.js';

let w: World;
afterEach(() => w?.close());

const commentsOn = (pr: number) => w.gh.state.comments.filter((c) => c.issueNumber === pr);
const reminders = (pr: number) =>
  commentsOn(pr).filter((c) => c.body.includes('ends at') && c.body.startsWith('@octocat'));

test('the requester is reminded once, an hour before the end, and not for a short grant', async () => {
  w = await world();
  const long = approvedAndMerged(w, { author: 'octocat', file: 'requests/octocat-logs.yaml' });
  const short = approvedAndMerged(w, {
    author: 'octocat',
    file: 'requests/octocat-quick.yaml',
    text: requestFile('octocat', '45m'),
  });
  expect((await run(w, 'grant', pushed(), GRANT)).code).toBe(0);

  // Two hours granted: an hour and a half before the end, nobody is reminded yet.
  w.aws.clock.advance(30 * 60_000);
  expect((await sweep(w)).code).toBe(0);
  expect(reminders(long)).toHaveLength(0);

  // Inside the last hour: one reminder, mentioning the requester, recorded in the log.
  w.aws.clock.advance(40 * 60_000);
  const first = await sweep(w);
  expect(first.code).toBe(0);
  expect(reminders(long)).toHaveLength(1);
  expect(reminders(long)[0]!.body).toContain('`octocat-logs`');
  expect(recordsOf(w, long)).toContain('reminded');
  // The 45-minute grant was told its end when granted; it is never reminded.
  expect(reminders(short)).toHaveLength(0);

  // Deleting the comment does not bring a second one: the log remembers.
  w.gh.state.deleteComment(reminders(long)[0]!.id);
  w.aws.clock.advance(10 * 60_000);
  expect((await sweep(w)).code).toBe(0);
  expect(reminders(long)).toHaveLength(0);
  expect(recordsOf(w, long).filter((k) => k === 'reminded')).toHaveLength(1);
});

test('reminders can be turned off', async () => {
  w = await world({ config: `${CONFIG}lifecycle: { remindBefore: false }\n` });
  const pr = approvedAndMerged(w, { author: 'octocat', file: 'requests/octocat-logs.yaml' });
  expect((await run(w, 'grant', pushed(), GRANT)).code).toBe(0);
  w.aws.clock.advance(100 * 60_000);
  expect((await sweep(w)).code).toBe(0);
  expect(reminders(pr)).toHaveLength(0);
  expect(recordsOf(w, pr)).not.toContain('reminded');
});

test('a request left open past the configured age is closed; other PRs are not', async () => {
  w = await world({ config: `${CONFIG}lifecycle: { closeUnmergedAfterDays: 7 }\n` });
  const stale = w.gh.state.openPullRequest(REPO, {
    author: 'octocat',
    headFiles: { 'requests/octocat-old.yaml': requestFile() },
  });
  const work = w.gh.state.openPullRequest(REPO, {
    author: 'sre-bob',
    headFiles: { 'runbooks/notes.md': 'notes\n' },
  });
  w.aws.clock.advance(6 * 24 * 3600_000);
  const young = w.gh.state.openPullRequest(REPO, {
    author: 'octocat',
    headFiles: { 'requests/octocat-new.yaml': requestFile() },
  });

  // Six days: nothing is old enough.
  expect((await sweep(w)).code).toBe(0);
  expect(w.gh.state.pull(REPO, stale.number).state).toBe('open');

  w.aws.clock.advance(2 * 24 * 3600_000);
  expect((await sweep(w)).code).toBe(0);
  expect(w.gh.state.pull(REPO, stale.number).state).toBe('closed');
  expect(commentsOn(stale.number).at(-1)?.body).toContain('more than 7 days');
  expect(w.gh.state.pull(REPO, work.number).state).toBe('open');
  expect(w.gh.state.pull(REPO, young.number).state).toBe('open');
});
