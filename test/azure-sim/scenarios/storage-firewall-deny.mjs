// A "Forbidden" response was encountered when accessing this VM's boot diagnostic storage account — firewall Deny, no IP rules.
// Hand-made networkAcls: the storage examples in Azure/azure-rest-api-specs have no `Deny` firewall with ip rules
// (their networkAcls allow all, ipRules empty); the shape follows the NetworkRuleSet schema of the storage spec.
export default (w) => {
  w.account.properties.networkAcls = { bypass: "AzureServices", virtualNetworkRules: [], ipRules: [], defaultAction: "Deny" };
};
