import { describe, expect, it } from "vitest";
import { boundedMemo } from "../../src/bounded-memo.js";

describe("boundedMemo", () => {
  it("answers a key it holds without computing again", () => {
    const memo = boundedMemo<number>();
    let computed = 0;
    const square = (n: number) => memo(String(n), () => (computed++, n * n));
    expect([square(3), square(3), square(4), square(3)]).toEqual([9, 9, 16, 9]);
    expect(computed).toBe(2);
  });

  it("holds at most `limit` answers: full, it forgets them all and starts again", () => {
    const memo = boundedMemo<string>(2);
    const asked: string[] = [];
    const upper = (key: string) => memo(key, () => (asked.push(key), key.toUpperCase()));
    for (const key of ["a", "b", "a", "c", "a", "c"]) upper(key);
    // "c" found the memory full ("a", "b"): cleared, then "c" and "a" again.
    expect(asked).toEqual(["a", "b", "c", "a"]);
  });
});
