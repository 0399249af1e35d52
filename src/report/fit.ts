/** GitHub refuses issue comments over 65,536 characters. */
export const COMMENT_LIMIT = 65_536;

/**
 * Cuts a markdown body to the limit at a line boundary and says so, instead of letting the API
 * refuse the whole comment. Anything open at the cut (a fence, a details block) is closed.
 */
export function fitComment(body: string, limit = COMMENT_LIMIT): string {
  if (body.length <= limit) return body;
  const note = (omitted: number) =>
    `\n\n> [!NOTE]\n> This report was cut to fit GitHub's comment limit; ${omitted} characters were left out. The job summary has the full report.\n`;
  let cut = body.slice(0, limit - note(body.length).length - 64);
  cut = cut.slice(0, Math.max(0, cut.lastIndexOf('\n')));
  const fences = cut.match(/^`{3,}/gm) ?? [];
  let closing = '';
  if (fences.length % 2 === 1) closing += `\n${fences[fences.length - 1]}`;
  const openDetails =
    (cut.match(/<details>/g) ?? []).length - (cut.match(/<\/details>/g) ?? []).length;
  closing += '\n</details>'.repeat(Math.max(0, openDetails));
  return cut + closing + note(body.length - cut.length);
}
