/**
 * Which ARM action authorises a request sc-doctor sent: the least-privilege role (examples/sc-doctor-reader.role.json)
 * must cover each. Rules: the last `/providers/{namespace}/` names the provider; the resource types after it (every
 * other segment, plus a trailing sub-resource such as `instanceView`) make the type path; a GET is its `/read`.
 * The only POSTs sc-doctor may send are a Resource Graph query (`Microsoft.ResourceGraph/resources/read`) and
 * `retrieveBootDiagnosticsData` (its own `/action`, for a VM or a uniform scale set instance).
 */
/** The signed-in user's own Cloud Shell settings: per-user data that no role action governs. */
export const NOT_RBAC_PATH = /^\/providers\/Microsoft\.Portal\/userSettings\//i;

export function armAction(method: string, pathAndQuery: string): string {
  const path = (pathAndQuery.split("?")[0] ?? "").replace(/^https?:\/\/[^/]+/i, "").replace(/\/+$/, "");
  if (method === "POST") {
    if (/^\/providers\/microsoft\.resourcegraph\/resources$/i.test(path)) return "Microsoft.ResourceGraph/resources/read";
    if (/\/virtualMachineScaleSets\/[^/]+\/virtualMachines\/[^/]+\/retrieveBootDiagnosticsData$/i.test(path))
      return "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/retrieveBootDiagnosticsData/action";
    if (/\/virtualMachines\/[^/]+\/retrieveBootDiagnosticsData$/i.test(path))
      return "Microsoft.Compute/virtualMachines/retrieveBootDiagnosticsData/action";
    throw new Error(`sc-doctor must not POST to ${path}`);
  }
  if (method !== "GET") throw new Error(`sc-doctor must not send ${method} ${path}`);
  const at = path.toLowerCase().lastIndexOf("/providers/");
  if (at < 0) {
    // /subscriptions, /subscriptions/{id}, /subscriptions/{id}/resourceGroups/{rg}
    const segments = path.split("/").filter(Boolean);
    const types = segments.filter((_, i) => i % 2 === 0);
    return `Microsoft.Resources/${types.join("/")}/read`;
  }
  const [namespace, ...rest] = path.slice(at + "/providers/".length).split("/");
  const types = rest.filter((_, i) => i % 2 === 0);
  return `${namespace}/${types.join("/")}/read`;
}
