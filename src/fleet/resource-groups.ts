/**
 * `--resource-group` names that exist in none of the audited subscriptions. An audit of a mistyped or renamed
 * group would otherwise find no VM and exit 0 on every scheduled run; it is "not found", as a VM id would be.
 */
import type { ArmContext } from "../azure/arm.js";
import { optString } from "../azure/json.js";
import { graphQuery, resourceGroupQuery } from "./graph.js";
import type { Source } from "./sources.js";

/**
 * Which of `unseen` (names no enumerated VM was in, and — with `--source arm` — that every subscription's VM list
 * answered ResourceGroupNotFound for) exist in none of `subscriptions`.
 *
 * @param unseen - Resource group names as given; compared case-insensitively, as Azure does.
 * @returns The absent names as given; `[]` when Resource Graph could not tell (the audit then says only that no
 *   VM matched: a group is never called absent without an answer saying so).
 */
export async function absentResourceGroups(
  arm: ArmContext,
  source: Source,
  subscriptions: readonly string[],
  unseen: readonly string[],
  signal?: AbortSignal,
): Promise<string[]> {
  if (unseen.length === 0 || subscriptions.length === 0) return [];
  // With the ARM lists, each subscription already answered ResourceGroupNotFound for these.
  if (source === "arm") return [...unseen];
  const present = new Set<string>();
  try {
    for await (const rows of graphQuery(arm, resourceGroupQuery(unseen), subscriptions, signal))
      for (const row of rows) present.add((optString(row, "name", "resource group") ?? "").toLowerCase());
  } catch (error) {
    if (signal?.aborted) throw error;
    return [];
  }
  return unseen.filter((name) => !present.has(name.toLowerCase()));
}
