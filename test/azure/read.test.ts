/**
 * The one pager (src/azure/read.ts) over a generated client's `byPage()` and over the raw exception lists: every
 * page is validated as Azure sent it, and a list that does not end is an error, never a shortened list.
 */
import { describe, expect, it } from "vitest";
import { forEachPage, rawList, readPages } from "../../src/azure/read.js";
import { fakeArm } from "../fleet/fake-arm.js";

const SUB = "00000000-0000-0000-0000-0000000000f1";
const accounts = (arm: ReturnType<typeof fakeArm>) => async (options: { abortSignal?: AbortSignal }) => {
  const client = await arm.clients.storage(SUB);
  return client.storageAccounts.list(options);
};

/** A list that always has a next page. */
const endless = () =>
  fakeArm((call) => {
    const page = Number(/[?&]page=(\d+)/.exec(call.path)?.[1] ?? 0);
    return { value: [{ id: `row${page}` }], nextLink: `https://arm.test/subscriptions/${SUB}/next?page=${page + 1}` };
  });

describe("one pager", () => {
  it("a client list that never ends is an error after maxPages, not a shortened list", async () => {
    const arm = endless();
    const list = await accounts(arm)({});
    await expect(readPages("storage accounts", () => list, undefined, 3)).rejects.toMatchObject({ code: "TooManyPages" });
  });

  it("a raw list that never ends is an error too", async () => {
    const arm = endless();
    await expect(readPages("x", rawList(arm, "x", `/subscriptions/${SUB}/x?api-version=1`), undefined, 3)).rejects.toMatchObject({
      code: "TooManyPages",
    });
  });

  it("pages are handed on as they arrive, in order, with the rows as Azure sent them", async () => {
    const arm = fakeArm((call) =>
      call.path.includes("page=2")
        ? { value: [{ id: "b", extra: { kept: true } }] }
        : { value: [{ id: "a" }], nextLink: `https://arm.test/subscriptions/${SUB}/x?page=2` },
    );
    const pages: unknown[][] = [];
    const list = await accounts(arm)({});
    await forEachPage(
      "storage accounts",
      () => list,
      undefined,
      (rows) => void pages.push(rows),
    );
    expect(pages).toEqual([[{ id: "a" }], [{ id: "b", extra: { kept: true } }]]);
  });

  it("a page without a 'value' array is malformed, named as such (not the client's own complaint)", async () => {
    const arm = fakeArm(() => ({ rows: [] }));
    const list = await accounts(arm)({});
    await expect(readPages("storage accounts", () => list)).rejects.toMatchObject({ code: "MalformedResponse" });
  });

  it("what onPage throws passes through unchanged", async () => {
    const arm = fakeArm(() => ({ value: [{ id: "a" }] }));
    const list = await accounts(arm)({});
    const mine = new Error("stop here");
    await expect(
      forEachPage(
        "storage accounts",
        () => list,
        undefined,
        () => {
          throw mine;
        },
      ),
    ).rejects.toBe(mine);
  });
});
