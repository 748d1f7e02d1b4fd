/**
 * `storage-firewall` for an account whose `publicNetworkAccess` is `SecuredByPerimeter`: a network security
 * perimeter decides who reaches it (https://learn.microsoft.com/azure/private-link/network-security-perimeter-concepts),
 * so the account's own `networkAcls` do not answer (but in the association's Learning mode, where they still apply).
 * Never a pass: what is read (the perimeter's name, profile, access mode and inbound address rules) is named, and the
 * geography's Serial Console IPs those rules leave out; anything else a perimeter may admit by is not visible here.
 */
import type { PerimeterFacts } from "../../azure/facts.js";
import { lookupGeography, ruleAdmits } from "./serial-console-ips.js";

export interface PerimeterJudgement {
  reason: string;
  evidence: Record<string, unknown>;
}

const DECIDES = "publicNetworkAccess is SecuredByPerimeter: a network security perimeter decides who reaches the account";

/** `perimeter`: the account's perimeter fact (null, never read, says only that a perimeter decides). */
export function judgePerimeter(perimeter: PerimeterFacts | null, location: string | undefined): PerimeterJudgement {
  if (perimeter === null)
    return {
      reason: `${DECIDES}, and its rules are not visible here; make sure it admits the Serial Console IPs of the VM's geography`,
      evidence: { perimeter: true },
    };
  if ("unreadable" in perimeter)
    return {
      reason: `${DECIDES}, and its configuration could not be read (${perimeter.unreadable}); make sure it admits the Serial Console IPs of the VM's geography`,
      evidence: { perimeter: true, perimeterUnreadable: perimeter.unreadable },
    };
  const { associations } = perimeter;
  if (associations.length === 0)
    return {
      reason: `${DECIDES}, but the account has no network security perimeter association: nothing admits public traffic to it`,
      evidence: { perimeter: true, perimeters: [] },
    };
  const named = associations
    .map((a) => `${a.name} (${[a.profile && `profile ${a.profile}`, a.accessMode].filter(Boolean).join(", ") || "no profile"})`)
    .join(", ");
  const learning = associations.some((a) => a.accessMode?.toLowerCase() === "learning")
    ? "; in Learning mode the account's own firewall (networkAcls) applies too"
    : "";
  const geography = lookupGeography(location);
  const prefixes = associations.flatMap((a) => a.inboundAddressPrefixes);
  const evidence = { perimeter: true, perimeters: associations };
  if (geography.kind !== "listed")
    return {
      reason: `${DECIDES}: network security perimeter ${named}; region '${location ?? "unknown"}' has no row in the Serial Console IP table to judge its rules by${learning}`,
      evidence,
    };
  const missing = geography.ips.filter((ip) => !prefixes.some((prefix) => ruleAdmits(prefix, ip)));
  const admitted = geography.ips.length - missing.length;
  return {
    reason: `${DECIDES}: network security perimeter ${named}, whose inbound address rules admit ${admitted} of the ${geography.ips.length} ${geography.name} Serial Console IPs${missing.length > 0 ? ` (add ${missing.join(", ")}, or admit them by another rule)` : ""}${learning}`,
    evidence: { ...evidence, geography: geography.name, missingIps: missing },
  };
}
