// A "Forbidden" response … boot diagnostic storage account — avoided: Deny admitting every Europe Serial Console IP of the 2025 table (some as CIDRs).
// Hand-made networkAcls: the storage examples in Azure/azure-rest-api-specs have no `Deny` firewall with ip rules
// (their networkAcls allow all, ipRules empty); the shape follows the NetworkRuleSet schema of the storage spec.
export default (w) => {
  w.account.properties.networkAcls = {
    bypass: "AzureServices",
    virtualNetworkRules: [],
    ipRules: ["4.210.131.60", "20.105.209.0/24", "40.113.178.49", "52.146.137.65", "52.146.139.220/31", "98.71.107.78"].map((value) => ({
      value,
      action: "Allow",
    })),
    defaultAction: "Deny",
  };
};
