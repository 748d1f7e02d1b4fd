/**
 * Fix commands are meant to be pasted into a shell, and the names in them come from Azure responses. A name such
 * as `x;rm -rf ~` or `$(id)` must stay one inert word, so every interpolated value is POSIX-quoted when it needs
 * it (same rule as the catalogue's templates). An array interpolates as one quoted word per element.
 */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_\-.:/=@,+]+$/.test(value) ? value : `'${value.replace(/'/g, "'\\''")}'`;
}

/** Tagged template: `sh\`az vm start --name ${vm.name}\`` quotes `vm.name`. Absent values show as `<missing>`. */
export function sh(strings: TemplateStringsArray, ...values: (string | readonly string[] | undefined)[]): string {
  return strings.reduce((out, text, i) => {
    if (i === 0) return text;
    const value = values[i - 1];
    const word = value === undefined ? "'<missing>'" : typeof value === "string" ? shellQuote(value) : value.map(shellQuote).join(" ");
    return `${out}${word}${text}`;
  }, "");
}
