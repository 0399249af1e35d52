import type { Octokit } from '@octokit/rest';
import { decodeUtf8 } from '../text/decode.js';
import { MAX_YAML_BYTES } from '../yaml/parse.js';
import type { RepoRef } from './pull-request.js';
import { hasStatus } from './status.js';

/**
 * A request file as merged, read through the contents API as data. What cannot be a request (a
 * symlink, a submodule, a directory, a file over the size limit that GitHub sends without its
 * content) is an answer about this one PR, never an exception that stops the run for every other.
 */
export type RequestFileRead =
  { kind: 'text'; text: string } | { kind: 'missing' } | { kind: 'unusable'; why: string };

export async function readRequestFile(
  octokit: Octokit,
  repo: RepoRef,
  path: string,
  ref: string,
): Promise<RequestFileRead> {
  let data;
  try {
    ({ data } = await octokit.rest.repos.getContent({ ...repo, path, ref }));
  } catch (e) {
    if (hasStatus(e, 404)) return { kind: 'missing' };
    throw e;
  }
  if (Array.isArray(data)) return { kind: 'unusable', why: `${path} is a directory` };
  if (data.type !== 'file')
    return { kind: 'unusable', why: `${path} is a ${data.type}, not a file` };
  if (data.size > MAX_YAML_BYTES)
    return {
      kind: 'unusable',
      why: `${path} is ${data.size} bytes; a request is at most ${MAX_YAML_BYTES} bytes (64 KiB)`,
    };
  // GitHub sends files over 1 MiB with encoding "none" and no content.
  if (!('content' in data) || data.encoding !== 'base64')
    return { kind: 'unusable', why: `GitHub did not send the content of ${path}` };
  const text = decodeUtf8(Buffer.from(data.content, 'base64'));
  if (!text.ok) return { kind: 'unusable', why: `${path}: ${text.problems[0]!.message}` };
  return { kind: 'text', text: text.value };
}
