/** Whether a failed Octokit call answered this HTTP status (404: absent, 403: not allowed). */
export const hasStatus = (e: unknown, status: number): boolean =>
  typeof e === 'object' && e !== null && 'status' in e && e.status === status;
