// A "Forbidden" response … boot diagnostic storage account — avoided: Deny with both Europe Serial Console IPs (one as a CIDR).
export default (w) => {
  w.account.properties.networkAcls = {
    bypass: "AzureServices",
    virtualNetworkRules: [],
    ipRules: [
      { value: "52.146.139.220", action: "Allow" },
      { value: "20.105.209.0/24", action: "Allow" },
    ],
    defaultAction: "Deny",
  };
};
