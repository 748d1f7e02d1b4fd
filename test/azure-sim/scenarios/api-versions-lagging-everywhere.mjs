// No error: an Azure Stack Hub-like cloud whose every provider lags the generated clients (Microsoft.Resources,
// Microsoft.Authorization, Microsoft.SerialConsole, Compute, Storage): each refuses newer api-versions with 400 and
// names those it serves.
export default (w) => {
  w.apiVersions = {
    "microsoft.resources": ["2019-06-01", "2016-06-01"],
    "microsoft.authorization": ["2015-07-01", "2015-06-01"],
    "microsoft.serialconsole": ["2018-05-01"],
    "microsoft.compute": ["2020-06-01", "2017-12-01"],
    "microsoft.storage": ["2019-06-01", "2017-10-01"],
  };
};
