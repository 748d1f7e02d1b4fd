/**
 * The Serial Console service IPs a firewalled boot diagnostics storage account must admit, per geography.
 * Source: Serial Console for Linux/Windows docs (MicrosoftDocs/SupportArticles-docs
 * support/azure/virtual-machines/linux/serial-console-linux.md, "Use Serial Console with custom boot diagnostics
 * storage account firewall enabled"); see https://learn.microsoft.com/troubleshoot/azure/virtual-machines/linux/serial-console-linux. ARM `location` values.
 */
interface Geography {
  ips: readonly string[];
  regions: readonly string[];
}

export const SERIAL_CONSOLE_GEOGRAPHIES: Record<string, Geography> = {
  AsiaPacific: { ips: ["20.205.69.28", "20.195.85.180"], regions: ["eastasia", "southeastasia"] },
  Australia: {
    ips: ["20.53.53.224", "20.70.222.112"],
    regions: ["australiacentral", "australiacentral2", "australiaeast", "australiasoutheast"],
  },
  Brazil: { ips: ["191.234.136.63", "20.206.0.194"], regions: ["brazilsouth", "brazilsoutheast"] },
  Canada: { ips: ["52.228.86.177", "52.242.40.90"], regions: ["canadacentral", "canadaeast"] },
  CanaryEUAP: { ips: ["20.45.242.18", "20.51.21.252"], regions: ["centraluseuap", "eastus2euap"] },
  Europe: { ips: ["52.146.139.220", "20.105.209.72"], regions: ["northeurope", "westeurope"] },
  France: { ips: ["20.111.0.244", "52.136.191.10"], regions: ["francecentral", "francesouth"] },
  Germany: { ips: ["51.116.75.88", "20.52.95.48"], regions: ["germanynorth", "germanywestcentral"] },
  India: { ips: ["20.192.168.150", "20.192.153.104"], regions: ["centralindia", "southindia", "westindia"] },
  Japan: { ips: ["20.43.70.205", "20.189.228.222"], regions: ["japaneast", "japanwest"] },
  Korea: { ips: ["20.200.196.96", "52.147.119.29"], regions: ["koreacentral", "koreasouth"] },
  Norway: { ips: ["20.100.1.184", "51.13.138.76"], regions: ["norwaywest", "norwayeast"] },
  Switzerland: { ips: ["20.208.4.98", "51.107.251.190"], regions: ["switzerlandnorth", "switzerlandwest"] },
  UAE: { ips: ["20.45.95.66", "20.38.141.5"], regions: ["uaecentral", "uaenorth"] },
  UnitedKingdom: { ips: ["20.90.132.144", "20.58.68.62"], regions: ["uksouth", "ukwest"] },
  Sweden: { ips: ["51.12.72.223", "51.12.22.174"], regions: ["swedencentral", "swedensouth"] },
  UnitedStates: {
    ips: ["20.98.146.84", "20.98.194.64", "20.69.5.162", "20.83.222.102"],
    regions: ["centralus", "eastus2", "eastus", "northcentralus", "southcentralus", "westus2", "westus3", "westcentralus", "westus"],
  },
  UsGov: {
    ips: ["20.141.10.130", "52.127.55.131"],
    regions: ["usgovvirginia", "usgovtexas", "usgovarizona", "usgoviowa", "usdodeast", "usdodcentral"],
  },
};

/** The geography of an ARM location (`West Europe`, `westeurope` and `WESTEUROPE` alike), if the table lists it. */
export function geographyOf(location: string | undefined): { name: string; ips: readonly string[] } | undefined {
  const region = (location ?? "").toLowerCase().replace(/\s+/g, "");
  for (const [name, geography] of Object.entries(SERIAL_CONSOLE_GEOGRAPHIES)) {
    if (geography.regions.includes(region)) return { name, ips: geography.ips };
  }
  return undefined;
}

function ipv4ToInt(ip: string): number | undefined {
  const parts = ip.trim().split(".");
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

/** Does a storage `ipRules[].value` (an IPv4 address or CIDR range) admit `ip`? */
export function ruleAdmits(rule: string, ip: string): boolean {
  const [base, bitsText] = rule.trim().split("/");
  const target = ipv4ToInt(ip);
  const start = ipv4ToInt(base ?? "");
  if (target === undefined || start === undefined) return false;
  if (bitsText === undefined) return start === target;
  if (!/^\d{1,2}$/.test(bitsText) || Number(bitsText) > 32) return false;
  const size = 2 ** (32 - Number(bitsText));
  const network = Math.floor(start / size) * size;
  return target >= network && target < network + size;
}
