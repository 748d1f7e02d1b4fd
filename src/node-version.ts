/**
 * The oldest Node.js sc-doctor runs on (package.json `engines`). Checked at start-up because an older Node fails
 * far from the cause: on Node 18 the Azure identity library lacks the global `crypto` and the run ends in a
 * misleading "authentication failed".
 */
export const MINIMUM_NODE_MAJOR = 20;

/**
 * Why this Node.js cannot run sc-doctor, or `undefined` when it can.
 *
 * @param version - `process.version`, e.g. `"v18.20.8"`.
 * @returns One line for stderr naming the running version and the one needed.
 */
export function unsupportedNode(version: string): string | undefined {
  const major = Number(/^v?(\d+)\./.exec(version)?.[1]);
  // An unreadable version string (a custom build) is given the benefit of the doubt.
  if (!Number.isInteger(major) || major >= MINIMUM_NODE_MAJOR) return undefined;
  return `needs Node.js ${MINIMUM_NODE_MAJOR} or later; this is Node.js ${version}. Install a current Node.js (https://nodejs.org) and run it again.`;
}
