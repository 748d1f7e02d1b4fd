/** Run npm in the package root and capture everything; bounded in time so a dead registry cannot hang the suite. */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export function npm(args: string[], timeoutMs = 60_000) {
  const result = spawnSync(process.platform === "win32" ? "npm.cmd" : "npm", args, {
    cwd: ROOT,
    encoding: "utf8",
    timeout: timeoutMs,
    env: { ...process.env, npm_config_update_notifier: "false", npm_config_fund: "false" },
  });
  return { code: result.status, stdout: result.stdout ?? "", stderr: result.stderr ?? "", error: result.error };
}

/** `npm test` builds first; a direct `vitest run` of this file may not have — build then. */
export function ensureBuilt(): void {
  if (existsSync(join(ROOT, "dist", "cli.js"))) return;
  const build = npm(["run", "build", "--silent"], 120_000);
  if (build.code !== 0) throw new Error(`npm run build failed:\n${build.stderr}`);
}

/**
 * The packages src/ imports at run time (type-only imports excluded): esbuild puts their code in the bundle, which
 * is why package.json lists them as devDependencies (scripts/build.mjs, README "Design").
 */
export function importedPackages(): string[] {
  const names = new Set<string>();
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (/\.ts$/.test(entry.name) && !entry.name.endsWith(".d.ts")) {
        const text = readFileSync(path, "utf8");
        const specifiers = [
          ...text.matchAll(/^\s*(?:import(?!\s+type\b)[^"'\n]*?from\s*|import\s*|export(?!\s+type\b)[^"'\n]*?from\s*)["']([^"']+)["']/gm),
          ...text.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g),
        ].map((match) => match[1] ?? "");
        for (const specifier of specifiers) {
          if (specifier.startsWith(".") || specifier.startsWith("node:")) continue;
          names.add(/^(@[^/]+\/[^/]+|[^/]+)/.exec(specifier)?.[1] ?? specifier);
        }
      }
    }
  };
  visit(join(ROOT, "src"));
  return [...names].sort();
}

interface LockEntry {
  version?: string;
  integrity?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

/** Every package the bundle can contain: what src/ imports and, by package-lock.json, everything they depend on. */
export function bundledClosure(): Set<string> {
  const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, LockEntry> };
  const byName = new Map<string, LockEntry[]>();
  for (const [path, entry] of Object.entries(lock.packages)) {
    const name = /node_modules\/((?:@[^/]+\/)?[^/]+)$/.exec(path)?.[1];
    if (name) byName.set(name, [...(byName.get(name) ?? []), entry]);
  }
  const seen = new Set<string>();
  const queue = importedPackages();
  for (let name = queue.pop(); name !== undefined; name = queue.pop()) {
    if (seen.has(name)) continue;
    seen.add(name);
    for (const entry of byName.get(name) ?? []) queue.push(...Object.keys({ ...entry.dependencies, ...entry.optionalDependencies }));
  }
  return seen;
}
