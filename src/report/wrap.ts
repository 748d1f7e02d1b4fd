/**
 * Word-wrap for the table view: continuation lines get a hanging indent instead of falling back to column 0.
 * Widths are in characters of sanitised text (no control characters except our own colour codes in `first`,
 * which take no column). A word longer than the line (an id, a URL) is kept whole rather than broken.
 */
const COLOUR = /\x1b\[[0-9;]*m/g;

export function wrapHanging(first: string, text: string, indent: number, width: number | undefined): string[] {
  let length = first.replace(COLOUR, "").length;
  if (!width || length + text.length <= width) return [`${first}${text}`];
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of text.split(/ +/)) {
    if (!empty && length + 1 + word.length > width) {
      lines.push(line);
      line = " ".repeat(indent) + word;
      length = indent + word.length;
    } else {
      line += (empty ? "" : " ") + word;
      length += (empty ? 0 : 1) + word.length;
    }
    empty = false;
  }
  lines.push(line);
  return lines;
}

/** The terminal's width when writing to one (or `COLUMNS`), else undefined: files and pipes are not wrapped. */
export function terminalWidth(stream: NodeJS.WriteStream = process.stdout): number | undefined {
  const fromEnv = Number(process.env["COLUMNS"]);
  if (Number.isInteger(fromEnv) && fromEnv >= 40) return fromEnv;
  return stream.isTTY && stream.columns >= 40 ? stream.columns : undefined;
}
