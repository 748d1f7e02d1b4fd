/** Run npm in the package root and capture everything; bounded in time so a dead registry cannot hang the suite. */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
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
