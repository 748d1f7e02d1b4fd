/**
 * The reasons in `summary.unevaluatedSubscriptions` that `sc-doctor report` recognises by their start when it merges
 * saved audits: their wording is read back from files older runs wrote, so it stays as it is.
 */

/** Why a subscription an interruption left part-listed is in `summary.unevaluatedSubscriptions`: its run did not complete. */
export const UNLISTED_REASON =
  "the audit was interrupted before all of its VMs were listed: those not listed are neither evaluated nor counted";

/** How the reason of a subscription whose enumeration failed part way begins: "…stopped after 12 VMs, which are audited: …". */
export const PARTLY_LISTED = "its enumeration stopped after ";
