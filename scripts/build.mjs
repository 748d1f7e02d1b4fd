#!/usr/bin/env node
// `npm run build`: what ships in the package, in three steps.
//
// 1. `tsc -p tsconfig.build.json` emits the declarations (`dist/**/*.d.ts`, for `main`) and the plain module tree
//    (`dist/**/*.js`), which the benches and a few tests import module by module (`dist/engine/diagnose.js`, …).
//    The package does not ship that tree (package.json `files`).
// 2. esbuild bundles the two entry points, `dist/cli.js` (the `bin`, from src/bin.ts) and `dist/index.js` (the `main`), with their
//    dependencies, over tsc's copies: a cold start then reads a handful of files instead of hundreds, so
//    `--version` and a diagnosis start fast (bench/doctor.mjs). ESM with code splitting: every dynamic `import()`
//    (a command, a formatter, @azure/identity, the network probe, each Azure SDK client) becomes its own chunk in
//    `dist/chunks/`, loaded only on the path that needs it.
// 3. The licences of the bundled packages, in `dist/THIRD-PARTY-NOTICES.txt`: their code now ships inside ours.
import { spawnSync } from "node:child_process";
import { chmodSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const dist = join(root, "dist");
const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

rmSync(dist, { recursive: true, force: true });
const tsc = spawnSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", join(root, "tsconfig.build.json")], {
  stdio: "inherit",
});
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

/**
 * `node:http` imported as an ES module comes from `require` instead. An ES module import of a built-in reads every
 * export, getters included, and on Node 24 `node:http`'s lazy WebSocket getters load Node's bundled undici (about
 * 20 ms of a diagnosis's CPU) for nothing. It becomes a module that requires it and re-exports its data properties
 * (read at build time; an import of a getter, which would be read at once, fails the build).
 */
const builtinsViaRequire = {
  name: "builtins-via-require",
  setup(builder) {
    const builtins = new Set(["http", "node:http"]);
    const requireBuiltin = createRequire(import.meta.url);
    builder.onResolve({ filter: /^(node:)?[a-z_/]+$/ }, (args) =>
      builtins.has(args.path) && args.kind !== "require-call" ? { path: args.path.replace(/^node:/, ""), namespace: "builtin" } : undefined,
    );
    builder.onLoad({ filter: /.*/, namespace: "builtin" }, ({ path }) => {
      const names = Object.entries(Object.getOwnPropertyDescriptors(requireBuiltin(`node:${path}`)))
        .filter(([name, descriptor]) => "value" in descriptor && name !== "default" && /^[A-Za-z_$][\w$]*$/.test(name))
        .map(([name]) => name);
      return {
        contents: `const m = require("node:${path}");\nexport default m;\nexport const { ${names.join(", ")} } = m;\n`,
        loader: "js",
      };
    });
  },
};

const result = await build({
  plugins: [builtinsViaRequire],
  absWorkingDir: root,
  entryPoints: { cli: "src/bin.ts", index: "src/index.ts" },
  outdir: "dist",
  chunkNames: "chunks/[name]-[hash]",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  // package.json `engines`: Node >= 20.
  target: "node20",
  // ES module builds first: the older generated clients (@azure/arm-authorization, -locks, -serialconsole) have no
  // `exports` map, and their CommonJS `main` would bundle a second, CommonJS copy of @azure/core-client,
  // core-rest-pipeline and ts-http-runtime (~0.3 MB, ~30 ms of start-up CPU) beside the ES module one everything
  // else uses. Packages with an `exports` map are unaffected (esbuild follows the map).
  mainFields: ["module", "main"],
  // CommonJS dependencies call require() for Node built-ins, which an ES module does not have: give each chunk one.
  banner: {
    js: 'import { createRequire as __scDoctorCreateRequire } from "node:module"; const require = __scDoctorCreateRequire(import.meta.url);',
  },
  // ws's optional native speed-ups: required inside try/catch, absent unless a user installs them.
  external: ["bufferutil", "utf-8-validate"],
  // Whitespace and syntax only: names stay, so error names and the rare stack trace stay readable.
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: "none",
  // The HTTP pipeline asks `typeof FormData` on every request; on Node 20 that first touch of the global loads
  // Node's bundled undici (about 25 ms of CPU, more than all of commander). sc-doctor never sends a form, so the
  // bundled code sees no FormData, as on a runtime without one (every use in the bundle is behind that typeof).
  define: { FormData: "undefined", SC_DOCTOR_VERSION: JSON.stringify(version) },
  metafile: true,
  logLevel: "warning",
});
chmodSync(join(dist, "cli.js"), 0o755);
writeFileSync(join(dist, "THIRD-PARTY-NOTICES.txt"), notices(Object.keys(result.metafile.inputs)));

/** Name, version, licence and licence text of every package whose code is in the bundle. */
function notices(inputs) {
  const packages = new Map();
  for (const input of inputs) {
    const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match && !packages.has(match[1])) packages.set(match[1], packageNotice(join(root, match[1])));
  }
  const entries = [...packages.values()].sort((a, b) => a.title.localeCompare(b.title));
  const header = "sc-doctor's dist/ bundles the following packages (the `npm run build` esbuild step). Their licences follow.\n";
  return [header, ...entries.map((entry) => `${"=".repeat(78)}\n${entry.title}\n\n${entry.text}\n`)].join("\n");
}

function packageNotice(dir) {
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  const file = readdirSync(dir).find((name) => /^(licen[cs]e|copying)(\.|$)/i.test(name));
  const text = file ? readFileSync(join(dir, file), "utf8").trim() : `(no licence file in the package; package.json says: ${pkg.license})`;
  return { title: `${pkg.name}@${pkg.version} — ${pkg.license ?? "see below"}`, text };
}

// A bundle that cannot even start (a bad banner, a missing chunk) fails the build, not the first user.
// `--no-color --version` goes through the whole CLI (commander), not the shortcut in src/bin.ts.
const smoke = spawnSync(process.execPath, [join(dist, "cli.js"), "--no-color", "--version"], { encoding: "utf8" });
if (smoke.status !== 0 || smoke.stdout.trim() !== version) {
  process.stderr.write(`build: dist/cli.js --no-color --version failed (exit ${smoke.status}):\n${smoke.stderr}${smoke.stdout}\n`);
  process.exit(1);
}
