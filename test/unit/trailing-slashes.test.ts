/**
 * Trailing-slash trims on hostile input: `/\/+$/` retries from every slash of a long run that does not end the
 * text (an id of 100,000 slashes then "x" took 42 s). Each input below took over 5 s that way; the trim is linear.
 */
import { describe, expect, it } from "vitest";
import { ResourceIdError, parseArmId, parseResourceScope, parseVmResourceId } from "../../src/azure/resource-id.js";
import { locksApplying } from "../../src/azure/locks.js";
import { isPrefixScope } from "../../src/azure/permissions.js";
import { audienceFromMetadata } from "../../src/azure/cloud-metadata.js";
import { parseArmEndpoint } from "../../src/commands/options.js";
import { trimTrailingSlashes } from "../../src/trim.js";

const SUB = "00000000-0000-0000-0000-000000000001";
/** Slashes then one more character: what makes the regex quadratic. */
const SLASHES = "/".repeat(100_000);
const HOSTILE = `${SLASHES}x`;

/** `run()`'s value, and that it came in well under a second. */
function timed<T>(run: () => T): T {
  const started = performance.now();
  const value = run();
  expect(performance.now() - started).toBeLessThan(1000);
  return value;
}

describe("trailing slashes trimmed in linear time", () => {
  it("trimTrailingSlashes: only the trailing run", () => {
    expect(trimTrailingSlashes("a/b///")).toBe("a/b");
    expect(trimTrailingSlashes("///")).toBe("");
    expect(trimTrailingSlashes("a/b")).toBe("a/b");
    expect(timed(() => trimTrailingSlashes(`a${SLASHES}`))).toBe("a");
  });

  it("parseVmResourceId", () => {
    const error = timed(() => {
      try {
        return parseVmResourceId(HOSTILE);
      } catch (thrown) {
        return thrown;
      }
    });
    expect(error).toBeInstanceOf(ResourceIdError);
    expect((error as Error).message).toMatch(/expected 'subscriptions' as the first segment, got ''/);
  }, 20_000);

  it("parseArmId", () => {
    expect(timed(() => parseArmId(`/subscriptions/${SUB}/resourceGroups/rg1${HOSTILE}`))).toEqual({
      subscriptionId: SUB,
      resourceGroup: "rg1",
      name: "x",
    });
  }, 20_000);

  it("parseResourceScope", () => {
    expect(timed(() => parseResourceScope(`/subscriptions/${SUB}/resourceGroups/rg1${HOSTILE}`))).toBeUndefined();
  }, 20_000);

  it("locksApplying", () => {
    const lock = { id: "l", name: "l", level: "ReadOnly", scope: HOSTILE };
    expect(timed(() => locksApplying([lock], `/subscriptions/${SUB}/resourceGroups/rg1`))).toEqual([]);
  }, 20_000);

  it("isPrefixScope", () => {
    expect(timed(() => isPrefixScope(HOSTILE, `/subscriptions/${SUB}`))).toBe(false);
  }, 20_000);

  it("audienceFromMetadata", () => {
    const body = { authentication: { audiences: [`https://management.example${HOSTILE}`] } };
    expect(timed(() => audienceFromMetadata(body, "https://management.example"))).toBe(`https://management.example${HOSTILE}/.default`);
    const clouds = [{ resourceManager: HOSTILE, authentication: { audiences: ["https://management.example/"] } }];
    expect(timed(() => audienceFromMetadata(clouds, "https://management.example"))).toBeUndefined();
  }, 40_000);

  it("parseArmEndpoint", () => {
    expect(timed(() => parseArmEndpoint(`https://arm.example${HOSTILE}`))).toBe(`https://arm.example${HOSTILE}`);
  }, 20_000);
});
