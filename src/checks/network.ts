import { getEntry } from "../catalog/index.js";
import { adviceFor, allowListName, inConsoleDomain, sClientCommand, untrustedInterception } from "../net/advice.js";
import type { NetworkFacts, TargetResult } from "../net/types.js";
import type { Evidence, Finding, Json } from "../types.js";
import { defineCheck } from "./define.js";

/** The facts as evidence: every host, every stage, timings, proxy (masked) and certificates. */
function evidenceOf(network: NetworkFacts, extra: Evidence = {}): Evidence {
  const facts = JSON.parse(JSON.stringify(network)) as { [key: string]: Json };
  return { ...facts, ...extra };
}

function where(target: TargetResult): string {
  return `${target.host}:${target.port}`;
}

function passedSummary(target: TargetResult): string {
  const upgrade = target.stages.find((s) => s.stage === "upgrade");
  return `${where(target)} (${target.stages.map((s) => `${s.stage} ${s.ms} ms`).join(", ")}; HTTP ${upgrade?.status ?? "?"})`;
}

/**
 * Why a gateway that failed says nothing about the network, or undefined when it does: proxy settings that cannot be
 * used (nothing was sent), or a stage cut off by a budget that reading the VM had mostly spent (a slow or throttled
 * Azure answer, not a middlebox).
 */
function notJudged(gateway: TargetResult, network: NetworkFacts): string | undefined {
  if (gateway.reason === "proxy-config") return `nothing was probed: ${adviceFor(gateway).mitigation}`;
  return cutShort(gateway, network);
}

/** Why `target` failed for lack of time that reading the VM had spent, or undefined when it did not. */
function cutShort(target: TargetResult, network: NetworkFacts): string | undefined {
  const { timeoutMs, waitedMs } = network;
  if (!target.timedOut || timeoutMs === undefined || waitedMs === undefined || waitedMs <= timeoutMs) return undefined;
  return `the probe of ${where(target)} ran out of time at its ${target.failedStage ?? ""} stage after ${timeoutMs} ms: reading the VM took ${waitedMs} ms of --timeout first (run again, or raise --timeout)`;
}

function failed(gateway: TargetResult, network: NetworkFacts): Finding {
  const unjudged = notJudged(gateway, network);
  if (unjudged) {
    const { mitigation, fix } = adviceFor(gateway);
    return {
      status: "error",
      reason: unjudged,
      evidence: evidenceOf(network, { failedHost: gateway.host, failedStage: gateway.failedStage, failure: gateway.reason, mitigation }),
      ...(gateway.reason === "proxy-config" ? { fix } : {}),
    };
  }
  const legacy = network.targets.find((t) => t.role === "legacy");
  // The portal host of the new domain passed: the allow list names it, not the wildcard the gateways need.
  const portal = network.targets.find((t) => t.role === "portal" && t.ok);
  const legacyOnly = legacy?.ok === true && portal === undefined;
  const advice = adviceFor(gateway);
  const legacyNote = legacyOnly
    ? `Only the legacy *.console.azure.com name (${legacy.host}) is reachable: the allow list predates the move to ${allowListName(gateway.host)}. `
    : portal
      ? `${portal.host} is reachable but the regional gateway ${gateway.host} is not: an allow list must admit ${allowListName(gateway.host)}, not only the portal host. `
      : "";
  // A budget this short cannot tell a slow path (a far region, a busy proxy) from a drop: said, not decided.
  const hurried =
    gateway.timedOut && network.timeoutMs !== undefined && network.timeoutMs < SHORT_BUDGET_MS
      ? ` — only ${network.timeoutMs} ms to answer (--timeout): a slow path cannot be told from a silent drop; run again with a longer --timeout to be sure`
      : "";
  // The stage's own advice goes into the reason (the catalogue's mitigation is the documented, generic one); the
  // raw error stays in the evidence. An inspecting proxy whose root only Node does not trust blocks this probe, not
  // necessarily the console: a browser trusting the root may connect, so it is `warn` (may degrade), not `fail`.
  return {
    status: untrustedInterception(gateway) ? "warn" : "fail",
    reason: `${legacyNote}${gateway.failedStage} stage failed (${gateway.reason}): ${advice.mitigation}${hurried}`,
    evidence: evidenceOf(network, {
      failedHost: gateway.host,
      failedStage: gateway.failedStage,
      failure: gateway.reason,
      error: gateway.detail,
      legacyOnly,
      mitigation: `${legacyNote}${advice.mitigation}`,
    }),
    documentedErrorId: "websocket-closed",
    ...cloudMitigation(gateway.host),
    fix: advice.fix,
  };
}

/** The documented mitigation, in the domain of the gateway's cloud when that is not the public one. */
function cloudMitigation(host: string): { mitigation?: string } {
  const mitigation = inConsoleDomain(getEntry("websocket-closed")?.mitigation ?? "", allowListName(host));
  return mitigation === undefined ? {} : { mitigation };
}

/** A probe budget below this (ms) is too short to tell a slow path from one that drops (a far region, a proxy). */
const SHORT_BUDGET_MS = 3000;

/**
 * "Web socket is closed or couldn't be opened" (serial-console-errors.md 2025: allow `*.serialconsole.azure.com`;
 * 2019: `*.console.azure.com`). Judges the probe from this machine (src/net/): `fail` when the VM region's gateway is
 * unreachable, `warn` for TLS interception (whether or not Node trusts the inspecting root) or a portal host the
 * browser client needs, `pass` only when every required host answered. Never `pass` without a probe.
 */
export default defineCheck({
  id: "network",
  title: "Network path to Serial Console from this machine",
  needs: ["network"],
  permissions: ["none (probes from this machine; no Azure call)"],
  evaluate({ network }): Finding {
    if (network.skipped) return { status: "skip", reason: network.skipped, evidence: {} };
    if (network.undocumented) return { status: "skip", reason: network.undocumented, evidence: evidenceOf(network) };
    const gateway = network.targets.find((t) => t.role === "gateway");
    if (!gateway) {
      // The hosts that were probed may already show the way out closed: a proxy refusing them refuses the gateway too.
      const refused = network.targets.filter((t) => !t.ok && t.failedStage === "proxy");
      const [first] = refused;
      const proxyNote = first
        ? `; the proxy refused ${refused.map(where).join(" and ")} (${first.reason}): ${adviceFor(first).mitigation}`
        : "";
      return {
        status: "error",
        reason: `nothing to probe: ${network.notProbed?.join("; ") || "no Serial Console host could be derived"}${proxyNote}`,
        evidence: evidenceOf(network),
      };
    }
    if (!gateway.ok) return failed(gateway, network);

    // The legacy name is a diagnostic for allow lists only; what it presents does not affect a client.
    const intercepted = network.targets.filter((t) => t.ok && t.role !== "legacy" && t.stages.some((s) => s.intercepted === true));
    const portal = network.targets.filter((t) => t.role === "portal" && !t.ok);
    // A portal host cut off by a budget the VM read spent says nothing of the network either.
    const unjudged = portal.flatMap((t) => cutShort(t, network) ?? []);
    if (unjudged.length > 0) return { status: "error", reason: unjudged.join("; "), evidence: evidenceOf(network) };
    const warnings: string[] = [];
    const fix: string[] = [];
    for (const t of intercepted) {
      const cert = t.stages.find((s) => s.stage === "tls")?.certificate;
      warnings.push(
        `TLS to ${t.host} is intercepted: the chain validates only through a locally added CA (${cert?.root ?? "unknown root"}) and was issued by ${cert?.issuer ?? "an unknown issuer"}, not by Microsoft/DigiCert — an inspecting proxy is in the path and may close the websocket; exempt ${allowListName(t.host)} from TLS inspection`,
      );
      fix.push(sClientCommand(t));
    }
    for (const t of portal) {
      const advice = adviceFor(t);
      warnings.push(
        `the portal's console UI host ${where(t)} is unreachable at the ${t.failedStage} stage (${t.reason}): the Azure portal client may fail while az serial-console (gateway only) works. ${advice.mitigation}`,
      );
      fix.push(...advice.fix);
    }
    if (warnings.length > 0) {
      return {
        status: "warn",
        reason: warnings.join("; "),
        evidence: evidenceOf(network, { intercepted: intercepted.map((t) => t.host) }),
        documentedErrorId: "websocket-closed",
        ...cloudMitigation(gateway.host),
        fix,
      };
    }
    const required = network.targets.filter((t) => t.required);
    return {
      status: "pass",
      reason: `every required host answered: ${required.map(passedSummary).join("; ")}`,
      evidence: evidenceOf(network),
    };
  },
});
