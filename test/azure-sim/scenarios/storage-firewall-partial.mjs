// A "Forbidden" response … boot diagnostic storage account — Deny, and only one of the eight Europe Serial Console IPs admitted.
// Hand-made networkAcls: the storage examples in Azure/azure-rest-api-specs have no `Deny` firewall with ip rules
// (their networkAcls allow all, ipRules empty); the shape follows the NetworkRuleSet schema of the storage spec.
export default (w) => {
  w.account.properties.networkAcls = {
    bypass: "AzureServices",
    virtualNetworkRules: [],
    ipRules: [{ value: "52.146.139.220", action: "Allow" }],
    defaultAction: "Deny",
  };
};
