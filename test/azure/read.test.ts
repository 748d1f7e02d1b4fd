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

  it.each([
    ["a page that links to itself", (page: number) => page],
    ["a link back to an earlier page", (page: number) => (page === 2 ? 1 : page + 1)],
    // The first page's own URL was never a nextLink: a link back to it is a loop all the same.
    ["a link back to the first page", (page: number) => (page === 2 ? undefined : page + 1)],
  ])("a nextLink to a page already read is a loop (%s): an error at once, its repeated rows not handed on", async (_, next) => {
    const arm = fakeArm((call) => {
      const page = Number(/[?&]page=(\d+)/.exec(call.path)?.[1] ?? 0);
      const to = next(page);
      const nextLink = `https://arm.test/subscriptions/${SUB}/x?${to === undefined ? "api-version=1" : `page=${to}`}`;
      return { value: [{ id: `row${page}` }], nextLink };
    });
    const rows: string[] = [];
    const pages = forEachPage("storage accounts", rawList(arm, "x", `/subscriptions/${SUB}/x?api-version=1`), undefined, (page) => {
      for (const row of page) rows.push(String(row["id"]));
    });
    await expect(pages).rejects.toMatchObject({
      code: "NextLinkLoop",
      message: expect.stringMatching(/leads back to a page already read/),
    });
    expect(new Set(rows).size).toBe(rows.length);
    expect(arm.calls.length).toBeLessThan(5);
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

describe("raw bodies of a generated pager's later pages (sent without the caller's options)", () => {
  // The compute client's pager requests page 2… without the options of the call; the raw body still reaches the
  // caller through the capture's async context, which is switched off between captures (its promise hooks cost
  // every promise of the process) and must come back on for the next capture, and stay on while any runs.
  const twoPages = (delayMs: number) =>
    fakeArm(async (call) => {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      return call.path.includes("page=2")
        ? { value: [{ id: `${call.path.split("?")[0]}#2` }] }
        : { value: [{ id: `${call.path.split("?")[0]}#1` }], nextLink: `https://arm.test${call.path.split("?")[0]}?page=2` };
    });
  const allVms = (arm: ReturnType<typeof fakeArm>, subscription: string) => async () => {
    const client = await arm.clients.compute(subscription);
    const rows: unknown[] = [];
    await forEachPage(
      "virtual machines",
      (options) => client.virtualMachines.listAll(options),
      undefined,
      (page) => void rows.push(...page.map((row) => row["id"])),
    );
    return rows;
  };

  it("one capture after another: each sees every page", async () => {
    const arm = twoPages(0);
    expect(await allVms(arm, SUB)()).toHaveLength(2);
    expect(await allVms(arm, SUB)()).toHaveLength(2);
  });

  it("a capture that ends while another is still paging does not cut the other off", async () => {
    const slow = twoPages(40);
    const fast = twoPages(0);
    const [long, short] = await Promise.all([allVms(slow, SUB)(), allVms(fast, SUB)()]);
    expect(short).toHaveLength(2);
    expect(long).toHaveLength(2);
  });
});
