/**
 * The lockfile is what CI installs: `.ci/run` must use `npm ci` (which fails when package.json and the lockfile
 * disagree) and never `npm install`; the lockfile must be in sync with package.json's dependency ranges.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, importedPackages } from "./npm.js";

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
      dependencies?: Record<string, string>;
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
    // Every package the bundle is built from is locked to a version with an integrity hash.
    for (const name of importedPackages()) {
      const entry = lock.packages[`node_modules/${name}`];
      expect(entry?.version, name).toBeTruthy();
      expect(entry?.integrity, name).toMatch(/^sha512-/);
    }
  });

  it("installs nothing beside the package: what src/ imports is bundled, so it is a devDependency", () => {
    const pkg = JSON.parse(read("package.json")) as {
      dependencies?: Record<string, string>;
      peerDependencies?: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    // A runtime `dependencies` entry would make every `npx sc-doctor` download it, unused (dist/sc-doctor.cjs holds its code).
    expect(pkg.dependencies).toBeUndefined();
    // Nor peers: npm checks even an optional peer's range against a project's own copy (ERESOLVE on another version).
    expect(pkg.peerDependencies).toBeUndefined();
    const imported = importedPackages();
    expect(imported).toContain("@azure/identity");
    expect(imported.filter((name) => !(name in pkg.devDependencies))).toEqual([]);
  });
});
