import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';

/** Renders markdown the way GitHub's CommonMark + GFM parser does (tables, autolinks, strikethrough). */
export const renderGfm = (markdown: string): string =>
  micromark(markdown, { extensions: [gfm()], htmlExtensions: [gfmHtml()] });

/** The rendered HTML with every <code> element's contents removed: what GitHub post-processes. */
export const outsideCode = (html: string): string =>
  html.replace(/<code[^>]*>[\s\S]*?<\/code>/g, '<code/>');

/** GitHub passes raw HTML through (then sanitises it, keeping <img> and <a>): stricter. */
export const renderGfmWithHtml = (markdown: string): string =>
  micromark(markdown, {
    allowDangerousHtml: true,
    extensions: [gfm()],
    htmlExtensions: [gfmHtml()],
  });

/**
 * A rendered comment as a standalone page styled like a GitHub comment body (github-markdown-css,
 * reduced to what a jit-access comment uses), for screenshots in a real browser.
 */
export const githubPage = (html: string): string => `<!doctype html>
<html><head><meta charset="utf-8"><style>
body { margin: 0; background: #fff; color: #1f2328; font: 14px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", "DejaVu Sans", sans-serif; }
.comment { max-width: 880px; margin: 16px; border: 1px solid #d0d7de; border-radius: 6px; }
.comment > header { background: #f6f8fa; border-bottom: 1px solid #d0d7de; padding: 8px 16px; color: #59636e; border-radius: 6px 6px 0 0; }
.markdown-body { padding: 16px; }
.markdown-body > :first-child { margin-top: 0; }
h2, h3, h4 { margin: 24px 0 16px; font-weight: 600; line-height: 1.25; }
h2 { font-size: 1.5em; padding-bottom: .3em; border-bottom: 1px solid #d1d9e0b3; }
h3 { font-size: 1.25em; } h4 { font-size: 1em; }
p, ul, ol, table, pre, details { margin: 0 0 16px; }
ul { padding-left: 2em; } li + li { margin-top: .25em; } li > ul { margin: .25em 0 0; }
code { font: 85% ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "DejaVu Sans Mono", monospace; background: #818b981f; padding: .2em .4em; border-radius: 6px; }
pre { background: #f6f8fa; padding: 16px; border-radius: 6px; overflow: auto; }
pre code { background: none; padding: 0; }
table { border-spacing: 0; border-collapse: collapse; display: block; width: max-content; max-width: 100%; overflow: auto; }
th, td { padding: 6px 13px; border: 1px solid #d1d9e0; } th { font-weight: 600; }
tr:nth-child(2n) { background: #f6f8fa; }
summary { cursor: pointer; }
</style></head><body><div class="comment"><header><b>jit-access</b> bot commented</header>
<div class="markdown-body">
${html}
</div></div></body></html>
`;
