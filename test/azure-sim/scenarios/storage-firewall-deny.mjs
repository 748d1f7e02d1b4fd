// A "Forbidden" response was encountered when accessing this VM's boot diagnostic storage account — firewall Deny, no IP rules.
export default (w) => {
  w.account.properties.networkAcls = { bypass: "AzureServices", virtualNetworkRules: [], ipRules: [], defaultAction: "Deny" };
};
