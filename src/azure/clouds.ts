/**
 * The clouds `--cloud` names and their public endpoints: a module of data alone, so that `explain` (which reads the
 * cloud a paste names) does not load the Resource Manager pipeline that src/azure/arm.ts builds from it.
 */

export type CloudName = "AzureCloud" | "AzureChinaCloud" | "AzureUSGovernment";

/**
 * Resource Manager endpoints, token audiences and portals per cloud (az cloud show; Azure SDK cloud settings;
 * https://learn.microsoft.com/azure/azure-government/compare-azure-government-global-azure#guidance-for-developers,
 * https://learn.microsoft.com/azure/china/resources-developer-guide).
 */
export const CLOUDS: Record<CloudName, { arm: string; audience: string; blobSuffix: string; portal: string }> = {
  AzureCloud: {
    arm: "https://management.azure.com",
    audience: "https://management.azure.com/.default",
    blobSuffix: "core.windows.net",
    portal: "https://portal.azure.com",
  },
  AzureChinaCloud: {
    arm: "https://management.chinacloudapi.cn",
    audience: "https://management.chinacloudapi.cn/.default",
    blobSuffix: "core.chinacloudapi.cn",
    portal: "https://portal.azure.cn",
  },
  AzureUSGovernment: {
    arm: "https://management.usgovcloudapi.net",
    audience: "https://management.usgovcloudapi.net/.default",
    blobSuffix: "core.usgovcloudapi.net",
    portal: "https://portal.azure.us",
  },
};
