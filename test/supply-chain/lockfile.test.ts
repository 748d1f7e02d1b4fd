/**
 * The lockfile is what CI installs: `.ci/run` must use `npm ci` (which fails when package.json and the lockfile
 * disagree) and never `npm install`; the lockfile must be in sync with package.json's dependency ranges.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./npm.js";

const read = (path: string) => readFileSync(join(ROOT, path), "utf8");

describe("lockfile in CI", () => {
  it(".ci/run installs with npm ci, not npm install", () => {
    const script = read(".ci/run")
      .split("\n")
      .filter((line) => !line.trim().startsWith("#"));
    expect(script.some((line) => /\bnpm ci\b/.test(line))).toBe(true);
    expect(script.filter((line) => /\bnpm (install|i|add|update)\b/.test(line))).toEqual([]);
  });

  it("package-lock.json pins exactly the ranges package.json asks for", () => {
    const pkg = JSON.parse(read("package.json")) as {
      name: string;
      version: string;
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
      bin: Record<string, string>;
    };
    const lock = JSON.parse(read("package-lock.json")) as {
      name: string;
      version: string;
      lockfileVersion: number;
      packages: Record<
        string,
        {
          dependencies?: Record<string, string>;
          devDependencies?: Record<string, string>;
          bin?: Record<string, string>;
          version?: string;
          integrity?: string;
        }
      >;
    };
    expect(lock.lockfileVersion).toBeGreaterThanOrEqual(2);
    expect([lock.name, lock.version]).toEqual([pkg.name, pkg.version]);
    expect(lock.packages[""]?.dependencies).toEqual(pkg.dependencies);
    expect(lock.packages[""]?.devDependencies).toEqual(pkg.devDependencies);
    // A stale root "bin" makes every `npm install` rewrite the lockfile.
    expect(lock.packages[""]?.bin).toEqual(pkg.bin);
    // Every runtime dependency is locked to a version with an integrity hash.
    for (const name of Object.keys(pkg.dependencies)) {
      const entry = lock.packages[`node_modules/${name}`];
      expect(entry?.version, name).toBeTruthy();
      expect(entry?.integrity, name).toMatch(/^sha512-/);
    }
  });
});
