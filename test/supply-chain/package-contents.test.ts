/**
 * What users download: `npm pack --dry-run` must list only dist/, README.md, LICENSE, package.json, schema/ and
 * docs/contract.md (the README links it) — no tests, simulator, sources, certificates or local files — and must
 * include what the package promises (the CLI named in `bin`, the licence, the JSON schemas).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOT, ensureBuilt, npm } from "./npm.js";

const ALLOWED = [/^dist\//, /^schema\/[^/]+\.json$/, /^docs\/contract\.md$/, /^README\.md$/, /^LICENSE$/, /^package\.json$/];
let files: string[] = [];

beforeAll(() => {
  ensureBuilt();
  const pack = npm(["pack", "--dry-run", "--json", "--ignore-scripts"]);
  expect(pack.code, pack.stderr).toBe(0);
  const parsed = JSON.parse(pack.stdout) as { files: { path: string }[] }[];
  files = parsed[0]?.files.map((f) => f.path) ?? [];
}, 120_000);

describe("npm pack", () => {
  it("contains only dist/, schema/, docs/contract.md, README.md, LICENSE and package.json", () => {
    expect(files.length).toBeGreaterThan(10);
    const stray = files.filter((path) => !ALLOWED.some((allowed) => allowed.test(path)));
    expect(stray).toEqual([]);
  });

  it("every relative link of the packed README (and of the docs it links) is in the package", () => {
    const links = (file: string) =>
      [...readFileSync(join(ROOT, file), "utf8").matchAll(/\]\(([^)#\s]+)[^)]*\)/g)]
        .map((match) => match[1] ?? "")
        .filter((target) => !/^[a-z]+:/i.test(target))
        .map((target) => join(file, "..", target));
    const linked = links("README.md");
    const missing = [...linked, ...linked.filter((file) => file.endsWith(".md")).flatMap(links)].filter((file) => !files.includes(file));
    expect(missing).toEqual([]);
  });

  it("ships no test code, simulator, key material or source maps inside dist/", () => {
    expect(
      files.filter(
        (path) => /(^|\/)(test|tests|azure-sim|__fixtures__)\//i.test(path) || /\.(pem|key|crt|map|tsbuildinfo|log|tgz)$/.test(path),
      ),
    ).toEqual([]);
  });

  it("ships no declarations for the binaries, which export nothing (dist/cli.js, dist/cli.cjs)", () => {
    for (const entry of ["cli", "bin", "bundle", "code-cache"]) expect(files).not.toContain(`dist/${entry}.d.ts`);
  });

  it("contains what package.json promises: bin, main, LICENSE, README and both schemas", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
      bin: Record<string, string>;
      main: string;
      files: string[];
      license: string;
    };
    for (const target of Object.values(pkg.bin)) expect(files).toContain(target.replace(/^\.\//, ""));
    expect(files).toContain(pkg.main.replace(/^\.\//, ""));
    expect(files).toEqual(
      expect.arrayContaining(["LICENSE", "README.md", "package.json", "schema/vm-result.schema.json", "schema/audit-result.schema.json"]),
    );
    expect(readFileSync(join(ROOT, "LICENSE"), "utf8")).toMatch(new RegExp(`^${pkg.license} License`));
    for (const bin of [...Object.values(pkg.bin), "dist/cli.js"])
      expect(readFileSync(join(ROOT, bin), "utf8").startsWith("#!/usr/bin/env node")).toBe(true);
  });
});
