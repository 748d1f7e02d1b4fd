// Install footprint (issue 17 item 3): what `npm install sc-doctor` puts on disk, from the production dependency
// tree of package-lock.json (the packages a user's install gets), sized in node_modules, plus dist/. Printed as a figure and a
// ratio against a baseline measured in the same run: what @azure/identity alone brings (packages nothing else
// needs), so the share that sign-in costs is visible. No network; run after `npm install` (and `npm run build` for dist/).
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { bytes } from "./lib.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));

/** Directories nested in other listed ones (node_modules/a/node_modules/b) are counted once, inside their parent. */
function outermost(dirs) {
  return dirs.filter((dir) => !dirs.some((other) => other !== dir && dir.startsWith(`${other}/`)));
}

const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8"));

/** Node's lookup from a package path: its own node_modules, then each parent's, up to the root. */
function resolve(from, name) {
  for (let base = from; ; base = base.slice(0, Math.max(0, base.lastIndexOf("/node_modules/")))) {
    const candidate = `${base ? `${base}/` : ""}node_modules/${name}`;
    if (lock.packages[candidate]) return candidate;
    if (!base) return undefined;
  }
}

/** Lockfile paths of `start`'s dependencies, transitively (optional peers and missing optionals left out). */
function closure(starts) {
  const seen = new Set();
  const queue = [...starts];
  while (queue.length) {
    const path = queue.pop();
    if (!path || seen.has(path)) continue;
    seen.add(path);
    const entry = lock.packages[path];
    for (const name of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies })) queue.push(resolve(path, name));
  }
  return [...seen];
}

const production = (pkgs) => closure(Object.keys(pkgs).map((name) => `node_modules/${name}`));
const all = production(lock.packages[""].dependencies);
const identityTree = closure(["node_modules/@azure/identity"]);
// What only @azure/identity brings (the rest, like core-rest-pipeline, we would install anyway).
const others = production(
  Object.fromEntries(Object.entries(lock.packages[""].dependencies).filter(([name]) => name !== "@azure/identity")),
);
const identityOnly = identityTree.filter((path) => !others.includes(path));
const size = (paths) => outermost(paths.map((path) => join(root, path))).reduce((sum, dir) => sum + bytes(dir), 0);

const mb = (n) => `${(n / 1e6).toFixed(1)} MB`;
const total = size(all) + bytes(join(root, "dist"));
const identityBytes = size(identityOnly);

console.log(`installed size: ${mb(total)} (dist/ ${mb(bytes(join(root, "dist")))}), ${all.length} packages besides sc-doctor`);
console.log(`baseline: what @azure/identity alone brings: ${mb(identityBytes)}, ${identityOnly.length} packages`);
console.log(
  `ratio: install / identity's share = ${(total / identityBytes).toFixed(2)}× (identity is ${Math.round((100 * identityBytes) / total)} % of the install)`,
);
const largest = outermost(all.map((path) => join(root, path)))
  .map((dir) => [relative(join(root, "node_modules"), dir), bytes(dir)])
  .sort((a, b) => b[1] - a[1])
  .slice(0, 6);
for (const [name, size] of largest) console.log(`  ${name.padEnd(36)} ${mb(size)}`);
