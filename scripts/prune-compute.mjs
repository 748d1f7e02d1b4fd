// An esbuild plugin for scripts/build.mjs: @azure/arm-compute's client class, as the bundle carries it, builds only
// the operation groups sc-doctor's source names.
//
// The package's `ComputeManagementClient` constructor builds every one of its ~55 operation groups (galleries,
// disks, dedicated hosts, …), and with them every model's serialisers: 0.87 MB of the bundle, read and deserialised
// at each start. Its per-operation functions (`api/virtualMachines`, …) are not in the package's `exports` map, so
// they cannot be imported the way src/azure/clients.ts imports @azure/arm-storage's. Instead, the client file's
// constructor keeps the groups some file under src/ reads through (`client.virtualMachines.get(…)`); esbuild then
// leaves out the other groups' modules (the package declares `"sideEffects": false`). A group used without being
// named that way would be `undefined` at run time: the build's smoke test and the suite's simulator runs call each
// one sc-doctor uses.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

const CLIENT_FILE = /[\\/]@azure[\\/]arm-compute[\\/]dist[\\/]esm[\\/]computeManagementClient\.js$/;
const GROUP_LINE = /^\s*this\.(\w+)\s*=\s*(_get\w+Operations)\(this\._client\);[ \t]*$/gm;
const GROUP_IMPORT = /^import \{\s*(_get\w+Operations)\s*\} from\s*"[^"]+";[ \t]*$/gm;

/** Every property read through in the TypeScript files under `dir` (`name` of `x.name.get(…)`, `x.name?.list`). */
function propertyNames(dir) {
  const names = new Set();
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".ts")) continue;
    const text = readFileSync(join(entry.parentPath ?? entry.path, entry.name), "utf8");
    for (const match of text.matchAll(/\.([A-Za-z_]\w*)\??\./g)) names.add(match[1]);
  }
  return names;
}

/** @param {string} srcDir @returns {import("esbuild").Plugin} */
export function pruneComputeClient(srcDir) {
  return {
    name: "prune-arm-compute-client",
    setup(build) {
      const used = propertyNames(srcDir);
      build.onLoad({ filter: CLIENT_FILE }, (args) => {
        const text = readFileSync(args.path, "utf8");
        const kept = new Set();
        let pruned = text.replace(GROUP_LINE, (line, group, factory) => {
          if (!used.has(group)) return "";
          kept.add(factory);
          return line;
        });
        pruned = pruned.replace(GROUP_IMPORT, (line, factory) => (kept.has(factory) ? line : ""));
        if (kept.size === 0) throw new Error(`prune-arm-compute-client: no operation group of ${args.path} is named under ${srcDir}`);
        return { contents: pruned, loader: "js" };
      });
    },
  };
}
