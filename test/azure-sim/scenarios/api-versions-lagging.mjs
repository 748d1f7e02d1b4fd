// No error: a cloud whose compute provider serves api-versions up to 2024-03-01 only (a sovereign cloud gets new versions later), refusing newer ones with 400 NoRegisteredProviderFound and the versions it serves.
export default (w) => {
  w.apiVersions = { "microsoft.compute": ["2024-03-01", "2023-09-01", "2022-03-01", "2020-06-01", "2026-07-01-preview"] };
};
