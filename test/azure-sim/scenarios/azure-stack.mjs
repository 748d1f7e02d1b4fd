// No error: an Azure Stack Hub Resource Manager, whose /metadata/endpoints names its own token audience; tokens for management.azure.com are refused.
export const STACK_AUDIENCE = "https://management.contoso.onmicrosoft.com/8f2e3c1a-6b1d-4b8e-9a51-0c3e5d7f9a10";
export default (w) => {
  w.armAudience = STACK_AUDIENCE;
};
