// A "Forbidden" response … boot diagnostic storage account — Deny, and only one of the eight Europe Serial Console IPs admitted.
export default (w) => {
  w.account.properties.networkAcls = {
    bypass: "AzureServices",
    virtualNetworkRules: [],
    ipRules: [{ value: "52.146.139.220", action: "Allow" }],
    defaultAction: "Deny",
  };
};
