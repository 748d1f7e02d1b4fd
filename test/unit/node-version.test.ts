import { describe, expect, it } from "vitest";
import { unsupportedNode } from "../../src/node-version.js";

describe("unsupportedNode", () => {
  it("refuses Node.js older than 20, naming the running and the needed version", () => {
    expect(unsupportedNode("v18.20.8")).toBe(
      "needs Node.js 20 or later; this is Node.js v18.20.8. Install a current Node.js (https://nodejs.org) and run it again.",
    );
    expect(unsupportedNode("v16.0.0")).toMatch(/needs Node\.js 20/);
  });

  it("accepts 20 and later, and a version string it cannot read", () => {
    for (const version of ["v20.0.0", "v20.20.2", "v22.11.0", "v24.1.0", "v100.0.0", "custom"]) {
      expect(unsupportedNode(version)).toBeUndefined();
    }
  });
});
