// classify a request path into a kind
export function requestKind(method, path) {
  const u = new URL(path, "https://x.invalid");
  const p = decodeURIComponent(u.pathname).toLowerCase();
  if (method === "POST") return p.includes("resourcegraph") ? "graph query" : `POST ${p.split("/").slice(-1)}`;
  if (p.endsWith("/permissions")) {
    if (/\/virtualmachinescalesets\/[^/]+\/providers/.test(p)) return "permissions @scale set";
    if (/\/storageaccounts\//.test(p)) return "permissions @storage";
    if (/\/virtualmachines\//.test(p)) return "permissions @vm";
    if (/\/resourcegroups\/[^/]+\/providers\/microsoft.authorization/.test(p)) return "permissions @rg";
    return "permissions @sub";
  }
  if (p.endsWith("/instanceview")) return "instance view GET";
  if (u.searchParams.get("statusOnly")) return "statusOnly list";
  if (p.endsWith("/roleassignments")) return "role assignments list";
  if (p.endsWith("/locks")) return "locks list";
  if (/virtualmachinescalesets\/[^/]+\/virtualmachines$/.test(p)) return "scale set instance list";
  if (p.endsWith("/virtualmachinescalesets")) return "scale set list";
  if (p.endsWith("/virtualmachines")) return "vm list";
  if (/storageaccounts\/[^/]+$/.test(p)) return "storage account GET";
  if (p.endsWith("/storageaccounts")) return "storage list";
  if (p.includes("serialconsole")) return "console state";
  if (/^\/subscriptions\/[^/]+$/.test(p)) return "subscription GET";
  if (p === "/subscriptions") return "subscription list";
  if (p.includes("roledefinitions")) return "role definition";
  return p.replace(/[0-9a-f-]{36}/g, "{id}");
}
