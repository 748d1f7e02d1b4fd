// What a user's install weighs (issue 12 item 3): `npm pack` this build, install the tarball into an empty
// directory, and print the installed size and the number of packages it brought, side by side with
//   - a baseline: BENCH_BASELINE_DIR=<another build's checkout, built> (packed the same way) or
//     BENCH_BASELINE_TARBALL=<a .tgz>;
//   - "bundle only": this build packed without its runtime `dependencies` — what users would install if they moved
//     to devDependencies, which the bundle allows (scripts/build.mjs puts their code in dist/).
// Each install then runs a diagnosis against the simulator, so a bundle that misses a package fails here.
// Needs `npm run build` first and the npm registry (or npm's cache: --prefer-offline). Prints figures, no assertions.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { startSimulator } from "../test/azure-sim/index.mjs";
import { VM_ID, bytes } from "./lib.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "sc-doctor-install-size-"));
const npmEnv = { ...process.env, npm_config_update_notifier: "false", npm_config_fund: "false", npm_config_audit: "false" };

function npm(args, cwd) {
  const run = spawnSync("npm", args, { cwd, encoding: "utf8", env: npmEnv, timeout: 600_000 });
  if (run.status !== 0) throw new Error(`npm ${args.join(" ")} (in ${cwd}) failed:\n${run.stderr}`);
  return run.stdout;
}

/** `npm pack` without running prepack (the directory must be built); the tarball's path. */
function pack(dir, name) {
  const destination = join(work, name);
  mkdirSync(destination);
  const [info] = JSON.parse(npm(["pack", "--json", "--ignore-scripts", "--pack-destination", destination], dir));
  return join(destination, info.filename);
}

/** This build as a package without runtime dependencies: package.json rewritten in a copy of what `files` ships. */
function packBundleOnly() {
  const stage = join(work, "bundle-only-src");
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  for (const entry of ["dist", "schema", "README.md", "LICENSE"]) cpSync(join(root, entry), join(stage, entry), { recursive: true });
  writeFileSync(join(stage, "package.json"), JSON.stringify({ ...pkg, dependencies: {}, devDependencies: {}, scripts: {} }, null, 2));
  return pack(stage, "bundle-only");
}

function install(tarball, name) {
  const prefix = join(work, `install-${name}`);
  mkdirSync(prefix);
  writeFileSync(join(prefix, "package.json"), "{}");
  npm(["install", "--no-save", "--prefer-offline", "--no-audit", "--no-fund", tarball], prefix);
  const modules = join(prefix, "node_modules");
  const lock = JSON.parse(readFileSync(join(modules, ".package-lock.json"), "utf8"));
  const packages = Object.keys(lock.packages).filter((path) => path !== "node_modules/sc-doctor").length;
  const disk = Number(spawnSync("du", ["-sk", modules], { encoding: "utf8" }).stdout.split("\t")[0]) * 1024;
  return {
    name,
    tarball: statSync(tarball).size,
    apparent: bytes(modules),
    disk,
    packages,
    // The installed package's own `bin` (dist/cli.cjs since the CommonJS binary; dist/cli.js before).
    cli: join(modules, "sc-doctor", JSON.parse(readFileSync(join(modules, "sc-doctor", "package.json"), "utf8")).bin["sc-doctor"]),
  };
}

const mb = (n) => `${(n / 1e6).toFixed(1)} MB`;

try {
  if (!existsSync(join(root, "dist", "cli.js"))) throw new Error("run `npm run build` first");
  const tarballs = [["this build", pack(root, "this")]];
  if (process.env.BENCH_BASELINE_DIR) tarballs.push(["baseline", pack(resolve(process.env.BENCH_BASELINE_DIR), "baseline")]);
  else if (process.env.BENCH_BASELINE_TARBALL) tarballs.push(["baseline", resolve(process.env.BENCH_BASELINE_TARBALL)]);
  tarballs.push(["bundle only (no runtime dependencies)", packBundleOnly()]);
  const installs = tarballs.map(([name, tarball]) => install(tarball, name));

  const sim = await startSimulator({ scenario: "healthy" });
  try {
    for (const entry of installs) {
      const run = spawnSync(process.execPath, [entry.cli, "--vm", VM_ID, "-o", "json", "--no-network"], {
        encoding: "utf8",
        env: { ...process.env, ...sim.env, NO_COLOR: "1" },
        timeout: 120_000,
      });
      entry.diagnosis =
        run.status === 0 ? `exit 0, verdict ${JSON.parse(run.stdout).verdict}` : `FAILED exit ${run.status}: ${run.stderr.slice(0, 300)}`;
    }
  } finally {
    await sim.close();
  }

  const base = installs.find((entry) => entry.name === "baseline");
  for (const entry of installs) {
    const ratio = base && entry !== base ? ` (${(entry.disk / base.disk).toFixed(2)}× the baseline on disk)` : "";
    console.log(
      `${entry.name.padEnd(40)} tarball ${mb(entry.tarball)}; installed ${mb(entry.apparent)} (on disk ${mb(entry.disk)})${ratio}; ${entry.packages} packages besides sc-doctor; diagnosis from the install: ${entry.diagnosis}`,
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
