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
