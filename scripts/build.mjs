#!/usr/bin/env node
// `npm run build`: what ships in the package, in four steps.
//
// 1. `tsc -p tsconfig.build.json` emits the declarations (`dist/**/*.d.ts`, for `main`) and the plain module tree
//    (`dist/**/*.js`), which the benches and a few tests import module by module (`dist/engine/diagnose.js`, …).
//    The package does not ship that tree (package.json `files`).
// 2. esbuild bundles all of sc-doctor with its dependencies into one CommonJS file, `dist/sc-doctor.cjs` (from
//    src/bundle.ts: the library and the CLI). One file, so that the binary can load it through V8's code cache
//    (src/code-cache.ts): a start then deserialises compiled code instead of parsing ~2.5 MB (bench/doctor.mjs).
// 3. The binary, `dist/cli.cjs` (the `bin`, from src/bin.ts: the `--version` shortcut and the cache loader; also as
//    an ES module, `dist/cli.js`), knowing the bundle's content hash; and `dist/index.js` (the `main`), an ES module
//    re-exporting the library from it.
// 4. The licences of the bundled packages, in `dist/THIRD-PARTY-NOTICES.txt`: their code now ships inside ours.
import { spawnSync } from "node:child_process";
import { isAscii } from "node:buffer";
import { createHash } from "node:crypto";
import { chmodSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { pruneComputeClient } from "./prune-compute.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const dist = join(root, "dist");
const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

rmSync(dist, { recursive: true, force: true });
const tsc = spawnSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", join(root, "tsconfig.build.json")], {
  stdio: "inherit",
});
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
// Declarations of the entry points, which the package ships as bundles (dist/cli.js, dist/cli.cjs run the CLI and
// export nothing): a `.d.ts` beside them would promise exports that are not there.
for (const entry of ["cli", "bin", "bundle", "code-cache"]) rmSync(join(dist, `${entry}.d.ts`), { force: true });

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: "node",
  // package.json `engines`: Node >= 20.
  target: "node20",
  // Whitespace and syntax only: names stay, so error names and the rare stack trace stay readable.
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: "none",
  charset: "ascii",
  logLevel: "warning",
};

const bundle = await build({
  ...common,
  entryPoints: ["src/bundle.ts"],
  outfile: "dist/sc-doctor.cjs",
  format: "cjs",
  // ES module builds first: the older generated clients (@azure/arm-authorization, -locks, -serialconsole) have no
  // `exports` map, and their CommonJS `main` would bundle a second, CommonJS copy of @azure/core-client,
  // core-rest-pipeline and ts-http-runtime (~0.3 MB, ~30 ms of start-up CPU) beside the ES module one everything
  // else uses. Packages with an `exports` map are unaffected (esbuild follows the map).
  mainFields: ["module", "main"],
  // ws's optional native speed-ups: required inside try/catch, absent unless a user installs them.
  external: ["bufferutil", "utf-8-validate"],
  // The HTTP pipeline asks `typeof FormData` on every request; on Node 20 that first touch of the global loads
  // Node's bundled undici (about 25 ms of CPU, more than all of commander). sc-doctor never sends a form, so the
  // bundled code sees no FormData, as on a runtime without one (every use in the bundle is behind that typeof).
  // `import.meta.url` of the ES module sources becomes this file's URL.
  define: { FormData: "undefined", SC_DOCTOR_VERSION: JSON.stringify(version), "import.meta.url": "__scDoctorModuleUrl" },
  banner: { js: 'var __scDoctorModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
  metafile: true,
  plugins: [pruneComputeClient(join(root, "src"))],
});

// The bundle wraps itself in the function Node's CommonJS loader would wrap it in, so the code cache loader compiles
// the file's text as it is (src/code-cache.ts): building that wrapper around 2.5 MB at each start cost a copy of it
// (~10 ms). `require` still works: there `this` is `module.exports` and the function runs at once; compiled as a
// script (`this` is the global object), the file's value is the function. The text is ASCII (esbuild's default
// charset, checked here), which lets the loader read it as Latin-1, without UTF-8 decoding.
const body = readFileSync(join(dist, "sc-doctor.cjs"));
if (!isAscii(body)) throw new Error("build: dist/sc-doctor.cjs is not ASCII (src/code-cache.ts reads it as Latin-1)");
const wrapped = Buffer.concat([
  Buffer.from(
    // Bundled into an ES module by a tool that embeds the library, CommonJS's __filename/__dirname do not exist.
    '(this === globalThis ? (load) => load : (load) => load(exports, require, module, typeof __filename == "string" ? __filename : "", typeof __dirname == "string" ? __dirname : ""))(function (exports, require, module, __filename, __dirname) {',
  ),
  body,
  Buffer.from("\n});\n"),
]);
writeFileSync(join(dist, "sc-doctor.cjs"), wrapped);
// V8 accepts a code cache made for any source of the same length: the cache is keyed by the bundle's content.
const hash = createHash("sha256").update(wrapped).digest("hex").slice(0, 16);
// The binary twice: `cli.cjs`, the package's `bin` (CommonJS: Node's ES module loader stays unloaded, ~9 ms of every
// start), and `cli.js`, the same as an ES module for `node dist/cli.js`.
const binDefines = { SC_DOCTOR_VERSION: JSON.stringify(version), SC_DOCTOR_BUNDLE_HASH: JSON.stringify(hash) };
// For old syntax (node12): on a Node.js older than `engines` allows, the binary must load far enough to say so
// (src/node-version-guard.ts) instead of failing on `??=` with a SyntaxError (exit 1, "findings" to a CI gate).
const binTarget = "node12";
await build({ ...common, target: binTarget, entryPoints: { cli: "src/bin.ts" }, outdir: "dist", format: "esm", define: binDefines });
await build({
  ...common,
  target: binTarget,
  entryPoints: ["src/bin.ts"],
  outfile: "dist/cli.cjs",
  format: "cjs",
  define: { ...binDefines, "import.meta.url": "__scDoctorBinUrl" },
  // `url`, not `node:url`: Node.js before 14.18 has no `node:` prefix for require, and this runs before the guard.
  banner: { js: 'var __scDoctorBinUrl = require("url").pathToFileURL(__filename).href;' },
});
for (const bin of ["cli.js", "cli.cjs"]) chmodSync(join(dist, bin), 0o755);

// The library's names, as the bundle's `library()` gives them (no top-level await: CommonJS can require index.js).
const library = Object.keys(createRequire(import.meta.url)(join(dist, "sc-doctor.cjs")).library());
writeFileSync(
  join(dist, "index.js"),
  [
    "// sc-doctor as a library (src/index.ts): re-exported from the one bundle, dist/sc-doctor.cjs. A static import, so",
    "// that a bundler (esbuild, ncc) embedding the library follows it.",
    'import bundle from "./sc-doctor.cjs";',
    "const library = bundle.library();",
    `export const { ${library.join(", ")} } = library;`,
    "",
  ].join("\n"),
);
writeFileSync(join(dist, "THIRD-PARTY-NOTICES.txt"), notices(Object.keys(bundle.metafile.inputs)));

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
for (const bin of ["cli.cjs", "cli.js"]) {
  const smoke = spawnSync(process.execPath, [join(dist, bin), "--no-color", "--version"], {
    encoding: "utf8",
    env: { ...process.env, SC_DOCTOR_NO_CODE_CACHE: "1" }, // the build writes nothing into the user's cache directory
  });
  if (smoke.status !== 0 || smoke.stdout.trim() !== version) {
    process.stderr.write(`build: dist/${bin} --no-color --version failed (exit ${smoke.status}):\n${smoke.stderr}${smoke.stdout}\n`);
    process.exit(1);
  }
}
