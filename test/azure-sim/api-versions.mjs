/**
 * api-versions each resource provider accepts. Real ARM answers an unknown version with 400 (NoRegisteredProviderFound,
 * or InvalidApiVersionParameter for Microsoft.Resources), so a wrong constant in src/azure/api.ts — say the compute
 * version pasted onto storage — fails here exactly as it would against Azure. Lists are the stable versions
 * published in Azure/azure-rest-api-specs (https://github.com/Azure/azure-rest-api-specs), generous rather than exhaustive.
 */
import { armError } from "./arm-errors.mjs";

const KNOWN = {
  "microsoft.compute": [
    "2017-03-30",
    "2017-12-01",
    "2018-04-01",
    "2018-06-01",
    "2018-10-01",
    "2019-03-01",
    "2019-07-01",
    "2019-12-01",
    "2020-06-01",
    "2020-12-01",
    "2021-03-01",
    "2021-04-01",
    "2021-07-01",
    "2021-11-01",
    "2022-03-01",
    "2022-08-01",
    "2022-11-01",
    "2023-03-01",
    "2023-07-01",
    "2023-09-01",
    "2024-03-01",
    "2024-07-01",
    "2024-11-01",
    "2025-04-01",
    "2026-03-01", // @azure/arm-compute 24.1.0
  ],
  "microsoft.storage": [
    "2016-01-01",
    "2017-06-01",
    "2018-02-01",
    "2019-06-01",
    "2021-01-01",
    "2021-04-01",
    "2021-06-01",
    "2021-08-01",
    "2021-09-01",
    "2022-05-01",
    "2022-09-01",
    "2023-01-01",
    "2023-04-01",
    "2023-05-01",
    "2024-01-01",
    "2025-01-01",
    "2025-06-01",
    "2025-08-01", // @azure/arm-storage 20.0.0
  ],
  // Management locks: 2016-09-01 and 2020-05-01 (specification/resources/…/Microsoft.Authorization/stable/2020-05-01/locks.json).
  "microsoft.authorization": [
    "2015-07-01",
    "2016-09-01",
    "2018-01-01-preview",
    "2018-07-01",
    "2020-04-01-preview",
    "2020-05-01",
    "2020-10-01",
    "2022-04-01",
    "2022-05-01-preview",
  ],
  "microsoft.serialconsole": ["2018-05-01", "2023-01-01", "2024-07-01"],
  "microsoft.resourcegraph": ["2019-04-01", "2020-04-01-preview", "2021-03-01", "2022-10-01", "2024-04-01"],
  "microsoft.resources": [
    "2016-06-01",
    "2019-06-01",
    "2019-11-01",
    "2020-01-01",
    "2021-01-01",
    "2021-04-01",
    "2022-01-01",
    "2022-09-01",
    "2022-12-01",
    "2023-07-01",
    "2024-03-01",
    "2024-07-01",
    "2024-11-01",
    "2025-01-01",
  ],
};

/** The namespace whose versions apply: the last `providers/<ns>` of the path, else Microsoft.Resources. */
function namespaceOf(path) {
  const segments = path.split("/").filter(Boolean);
  const at = segments.map((s) => s.toLowerCase()).lastIndexOf("providers");
  return at >= 0
    ? { namespace: segments[at + 1] ?? "", type: segments[at + 2] ?? "" }
    : { namespace: "Microsoft.Resources", type: segments.length > 2 ? "resourceGroups" : "subscriptions" };
}

/**
 * undefined when `version` is served for `path`, else ARM's 400. `served` (a world's `apiVersions`) replaces the
 * lists of the namespaces it names: a cloud that lags the public one (a sovereign cloud, an Azure Stack Hub profile).
 */
export function apiVersionProblem(path, version, served = {}) {
  const { namespace, type } = namespaceOf(path);
  const known = served[namespace.toLowerCase()] ?? KNOWN[namespace.toLowerCase()];
  if (!known || known.includes(version)) return undefined;
  const supported = [...known].reverse().join(", ");
  if (namespace.toLowerCase() === "microsoft.resources") {
    return armError(
      400,
      "InvalidApiVersionParameter",
      `The api-version '${version}' is invalid. The supported versions are '${supported}'. The supported locations are ''.`,
    );
  }
  return armError(
    400,
    "NoRegisteredProviderFound",
    `No registered resource provider found for location 'westeurope' and API version '${version}' for type '${type}'. The supported api-versions are '${supported}'. The supported locations are 'westeurope, northeurope, eastus, eastus2, uksouth, italynorth'.`,
  );
}
