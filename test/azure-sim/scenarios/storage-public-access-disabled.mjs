// A "Forbidden" response … boot diagnostic storage account — publicNetworkAccess Disabled (private endpoints only).
export default (w) => {
  w.account.properties.publicNetworkAccess = "Disabled";
  w.account.properties.networkAcls.defaultAction = "Deny";
};
