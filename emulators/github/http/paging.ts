import type { Reply, RestRequest } from './router.js';

const DEFAULT_PER_PAGE = 30;
const MAX_PER_PAGE = 100;

/**
 * One page of a list as GitHub serves it: `per_page` (default 30, at most 100) and `page`, with a
 * `Link` header naming the first, previous, next and last pages, which `octokit.paginate` follows.
 */
export function paged<T>(req: RestRequest, items: T[]): Reply {
  const perPage = clamp(Number(req.query.get('per_page') ?? DEFAULT_PER_PAGE), 1, MAX_PER_PAGE);
  const page = Math.max(1, Math.floor(Number(req.query.get('page') ?? 1)) || 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const body = items.slice((page - 1) * perPage, page * perPage);
  const link = (n: number, rel: string): string => {
    const url = new URL(req.url);
    url.searchParams.set('per_page', String(perPage));
    url.searchParams.set('page', String(n));
    return `<${url.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page > 1) links.push(link(page - 1, 'prev'));
  if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
  if (page > 1) links.push(link(1, 'first'));
  return { body, headers: links.length > 0 ? { link: links.join(', ') } : {} };
}

function clamp(n: number, min: number, max: number): number {
  return Number.isFinite(n) ? Math.min(max, Math.max(min, Math.floor(n))) : DEFAULT_PER_PAGE;
}
