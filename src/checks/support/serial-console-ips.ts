/**
 * The Serial Console service IPs a firewalled custom boot diagnostics storage account must admit, per geography,
 * as published in "Azure Serial Console for Linux", section "Use Serial Console with custom boot diagnostics storage
 * account firewall enabled" (ms.date 03/11/2025):
 * https://learn.microsoft.com/troubleshoot/azure/virtual-machines/linux/serial-console-linux
 * The IPs are verbatim (the China row lists its first four twice; kept once). The doc names regions ("Europe
 * North"); the ARM `location` values are our mapping of those names. The Windows page still shows the 2023 table
 * (two IPs per geography), which is why this table follows the Linux page.
 */
import { boundedMemo } from "../../bounded-memo.js";

export const SERIAL_CONSOLE_IP_SOURCE = {
  url: "https://learn.microsoft.com/troubleshoot/azure/virtual-machines/linux/serial-console-linux",
  date: "2025-03-11",
} as const;

interface Geography {
  ips: readonly string[];
  regions: readonly string[];
}

export const SERIAL_CONSOLE_GEOGRAPHIES: Record<string, Geography> = {
  Asia: {
    regions: ["eastasia", "southeastasia"],
    ips: [
      "4.145.74.168",
      "20.195.85.180",
      "20.195.85.181",
      "20.205.68.106",
      "20.205.68.107",
      "20.205.69.28",
      "23.97.88.117",
      "23.98.106.151",
    ],
  },
  Australia: {
    regions: ["australiacentral", "australiacentral2", "australiaeast", "australiasoutheast"],
    ips: [
      "4.198.45.55",
      "4.200.251.224",
      "20.167.131.228",
      "20.53.52.250",
      "20.53.53.224",
      "20.53.55.174",
      "20.70.222.112",
      "20.70.222.113",
      "68.218.123.133",
    ],
  },
  Brazil: {
    regions: ["brazilsouth", "brazilsoutheast"],
    ips: [
      "20.206.0.192",
      "20.206.0.193",
      "20.206.0.194",
      "20.226.211.157",
      "108.140.5.172",
      "191.234.136.63",
      "191.238.77.232",
      "191.238.77.233",
    ],
  },
  Canada: {
    regions: ["canadacentral", "canadaeast"],
    ips: [
      "20.175.7.183",
      "20.48.201.78",
      "20.48.201.79",
      "20.220.7.246",
      "52.139.106.74",
      "52.139.106.75",
      "52.228.86.177",
      "52.242.40.90",
    ],
  },
  CanaryEUAP: {
    regions: ["centraluseuap", "eastus2euap"],
    ips: [
      "20.45.242.18",
      "20.45.242.19",
      "20.45.242.20",
      "20.47.232.186",
      "20.47.232.187",
      "20.51.21.252",
      "68.220.123.194",
      "168.61.232.59",
    ],
  },
  China: {
    regions: ["chinanorth3", "chinaeast3"],
    ips: ["163.228.102.122", "163.228.102.123", "52.131.192.182", "52.131.192.183", "159.27.255.76", "159.27.253.236"],
  },
  Europe: {
    regions: ["northeurope", "westeurope"],
    ips: [
      "4.210.131.60",
      "20.105.209.72",
      "20.105.209.73",
      "40.113.178.49",
      "52.146.137.65",
      "52.146.139.220",
      "52.146.139.221",
      "98.71.107.78",
    ],
  },
  France: {
    regions: ["francecentral", "francesouth"],
    ips: [
      "20.111.0.244",
      "40.80.103.247",
      "51.138.215.126",
      "51.138.215.127",
      "52.136.191.8",
      "52.136.191.9",
      "52.136.191.10",
      "98.66.128.35",
    ],
  },
  Germany: {
    regions: ["germanynorth", "germanywestcentral"],
    ips: ["20.52.94.114", "20.52.94.115", "20.52.95.48", "20.113.251.155", "51.116.75.88", "51.116.75.89", "51.116.75.90", "98.67.183.186"],
  },
  India: {
    regions: ["centralindia", "southindia", "westindia"],
    ips: [
      "4.187.107.68",
      "20.192.47.134",
      "20.192.47.135",
      "20.192.152.150",
      "20.192.152.151",
      "20.192.153.104",
      "20.207.175.96",
      "52.172.82.199",
      "98.70.20.180",
    ],
  },
  Japan: {
    regions: ["japaneast", "japanwest"],
    ips: [
      "20.18.7.188",
      "20.43.70.205",
      "20.89.12.192",
      "20.89.12.193",
      "20.189.194.100",
      "20.189.228.222",
      "20.189.228.223",
      "20.210.144.254",
    ],
  },
  Korea: {
    regions: ["koreacentral", "koreasouth"],
    ips: [
      "20.200.166.136",
      "20.200.194.238",
      "20.200.194.239",
      "20.200.196.96",
      "20.214.133.81",
      "52.147.119.28",
      "52.147.119.29",
      "52.147.119.30",
    ],
  },
  Norway: {
    regions: ["norwayeast", "norwaywest"],
    ips: ["20.100.1.154", "20.100.1.155", "20.100.1.184", "20.100.21.182", "51.13.138.76", "51.13.138.77", "51.13.138.78", "51.120.183.54"],
  },
  SouthAfrica: {
    regions: ["southafricanorth", "southafricawest"],
    ips: [
      "20.87.80.28",
      "20.87.86.207",
      "40.117.27.221",
      "102.37.86.192",
      "102.37.86.193",
      "102.37.86.194",
      "102.37.166.222",
      "102.37.166.223",
    ],
  },
  Sweden: {
    regions: ["swedencentral", "swedensouth"],
    ips: ["20.91.100.236", "51.12.22.174", "51.12.22.175", "51.12.22.204", "51.12.72.222", "51.12.72.223", "51.12.73.92", "172.160.216.6"],
  },
  Switzerland: {
    regions: ["switzerlandnorth", "switzerlandwest"],
    ips: [
      "20.199.207.188",
      "20.208.4.98",
      "20.208.4.99",
      "20.208.4.120",
      "20.208.149.229",
      "51.107.251.190",
      "51.107.251.191",
      "51.107.255.176",
    ],
  },
  UAE: {
    regions: ["uaecentral", "uaenorth"],
    ips: ["20.38.141.5", "20.45.95.64", "20.45.95.65", "20.45.95.66", "20.203.93.198", "20.233.132.205", "40.120.87.50", "40.120.87.51"],
  },
  UnitedKingdom: {
    regions: ["uksouth", "ukwest"],
    ips: ["20.58.68.62", "20.58.68.63", "20.90.32.180", "20.90.132.144", "20.90.132.145", "51.104.30.169", "172.187.0.26", "172.187.65.53"],
  },
  UnitedStates: {
    // eastus2euap is in this row too ("US East 2 EUAP"), as in CanaryEUAP's: findGeography joins the two.
    regions: ["centralus", "eastus", "eastus2", "eastus2euap", "northcentralus", "southcentralus", "westus", "westus2", "westus3"],
    ips: [
      "4.149.249.197",
      "4.150.239.210",
      "20.14.127.175",
      "20.40.200.175",
      "20.45.242.18",
      "20.45.242.19",
      "20.45.242.20",
      "20.47.232.186",
      "20.51.21.252",
      "20.69.5.160",
      "20.69.5.161",
      "20.69.5.162",
      "20.83.222.100",
      "20.83.222.101",
      "20.83.222.102",
      "20.98.146.84",
      "20.98.146.85",
      "20.98.194.64",
      "20.98.194.65",
      "20.98.194.66",
      "20.168.188.34",
      "20.241.116.153",
      "52.159.214.194",
      "57.152.124.244",
      "68.220.123.194",
      "74.249.127.175",
      "74.249.142.218",
      "157.55.93.0",
      "168.61.232.59",
      "172.183.234.204",
      "172.191.219.35",
    ],
  },
  UsGov: {
    regions: ["usgovvirginia", "usgovtexas", "usgovarizona", "usgoviowa", "usdodeast", "usdodcentral"],
    ips: [
      "20.140.104.48",
      "20.140.105.3",
      "20.140.144.58",
      "20.140.144.59",
      "20.140.147.168",
      "20.140.53.121",
      "20.141.10.130",
      "20.141.10.131",
      "20.141.13.121",
      "20.141.15.104",
      "52.127.55.131",
      "52.235.252.252",
      "52.235.252.253",
      "52.243.247.124",
      "52.245.155.139",
      "52.245.156.185",
      "62.10.84.240",
    ],
  },
};

/**
 * Regions the Serial Console overview lists (ms.date 10/16/2025,
 * https://learn.microsoft.com/troubleshoot/azure/virtual-machines/windows/serial-console-overview) that are the only
 * region of their geography. The Linux page says storage firewalls for the console "aren't supported for VMs in
 * geographies with only one region, such as Italy North".
 */
export const SINGLE_REGION_GEOGRAPHIES: readonly string[] = [
  "austriaeast",
  "belgiumcentral",
  "chilecentral",
  "indonesiacentral",
  "italynorth",
  "malaysiawest",
  "mexicocentral",
  "newzealandnorth",
  "polandcentral",
  "qatarcentral",
  "spaincentral",
];

/** Regions in no 2025 row whose geography is nevertheless plain (the 2023 table listed westcentralus under the US). */
const INFERRED: Readonly<Record<string, string>> = { westcentralus: "UnitedStates" };

export type GeographyLookup =
  | { kind: "listed"; name: string; ips: readonly string[]; inferred?: string }
  | { kind: "single-region"; region: string }
  | { kind: "unlisted"; region: string };

// The lookups below are pure and an audit asks them again for every VM (the same few locations, rules and IPs).
const geographies = boundedMemo<GeographyLookup>();

/** How the published table treats an ARM location (`West Europe`, `westeurope` and `WESTEUROPE` alike). */
export function lookupGeography(location: string | undefined): GeographyLookup {
  return geographies(location ?? "", () => findGeography(location));
}

function findGeography(location: string | undefined): GeographyLookup {
  const region = (location ?? "").toLowerCase().replace(/\s+/g, "");
  // A region in two rows (eastus2euap) may be served from either: a firewall must admit both rows' IPs.
  const rows = Object.entries(SERIAL_CONSOLE_GEOGRAPHIES).filter(([, geography]) => geography.regions.includes(region));
  if (rows.length > 0)
    return {
      kind: "listed",
      name: rows.map(([name]) => name).join(" and "),
      ips: [...new Set(rows.flatMap(([, geography]) => geography.ips))],
    };
  const inferred = INFERRED[region];
  const geography = inferred ? SERIAL_CONSOLE_GEOGRAPHIES[inferred] : undefined;
  if (inferred && geography) {
    return {
      kind: "listed",
      name: inferred,
      ips: geography.ips,
      inferred: `region ${region} is in no row of the published table; its ${inferred} geography is inferred`,
    };
  }
  if (SINGLE_REGION_GEOGRAPHIES.includes(region)) return { kind: "single-region", region };
  return { kind: "unlisted", region: region || "unknown" };
}

/** The geography of an ARM location, if the table lists it (inferred regions included). */
export function geographyOf(location: string | undefined): { name: string; ips: readonly string[] } | undefined {
  const found = lookupGeography(location);
  return found.kind === "listed" ? { name: found.name, ips: found.ips } : undefined;
}

function ipv4ToInt(ip: string): number | undefined {
  const parts = ip.trim().split(".");
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

const admissions = boundedMemo<boolean>();

/** Does a storage `ipRules[].value` (an IPv4 address or CIDR range) admit `ip`? */
export function ruleAdmits(rule: string, ip: string): boolean {
  return admissions(`${rule} ${ip}`, () => admits(rule, ip));
}

function admits(rule: string, ip: string): boolean {
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
