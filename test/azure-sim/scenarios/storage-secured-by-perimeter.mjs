// A "Forbidden" response … boot diagnostic storage account, possibly — publicNetworkAccess SecuredByPerimeter: a network security perimeter decides.
export default (w) => {
  w.account.properties.publicNetworkAccess = "SecuredByPerimeter";
};
