/** `text` without its trailing slashes. */
export function trimTrailingSlashes(text: string): string {
  // A loop, not `/\/+$/`: that regex retries from every slash of a run that does not end the text (quadratic).
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0x2f) end--;
  return text.slice(0, end);
}
