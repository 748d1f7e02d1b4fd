/**
 * A pure function's answers remembered by key, for the few inputs an audit asks about again for every VM (the same
 * locations, IP rules, output strings). Bounded: the memory is cleared when it holds `limit` answers, so a long
 * audit never grows it past that.
 *
 * `const lookup = boundedMemo<Answer>(); lookup(key, () => compute(key))`. `compute` must be pure (same key, same
 * answer) and must not return `undefined` (that is read as "not remembered").
 */
export function boundedMemo<T>(limit = 10_000): (key: string, compute: () => T) => T {
  const answers = new Map<string, T>();
  return (key, compute) => {
    const known = answers.get(key);
    if (known !== undefined) return known;
    const value = compute();
    if (answers.size >= limit) answers.clear();
    answers.set(key, value);
    return value;
  };
}
