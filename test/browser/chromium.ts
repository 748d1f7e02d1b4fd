/**
 * Find a Chromium to render the HTML report in. Debian's `chromium` package is what `.ci/run` installs; another
 * binary can be named with SC_DOCTOR_CHROMIUM. When none is found the browser tests are skipped and the reason
 * says where we looked and how to install one.
 */
import { accessSync, constants } from "node:fs";

const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"];

export type BrowserLookup = { found: true; path: string } | { found: false; reason: string };

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function findChromium(env: NodeJS.ProcessEnv = process.env): BrowserLookup {
  const named = env["SC_DOCTOR_CHROMIUM"];
  if (named !== undefined && named !== "") {
    return executable(named)
      ? { found: true, path: named }
      : { found: false, reason: `SC_DOCTOR_CHROMIUM=${named} is not an executable file` };
  }
  const path = CANDIDATES.find(executable);
  if (path !== undefined) return { found: true, path };
  return {
    found: false,
    reason: `no Chromium found (looked at ${CANDIDATES.join(", ")}; set SC_DOCTOR_CHROMIUM, or as root: apt-get update && apt-get install -y chromium)`,
  };
}
