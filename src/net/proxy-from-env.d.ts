/** Types for proxy-from-env 2.x (the package ships none). */
declare module "proxy-from-env" {
  /** The proxy URL for `url` from HTTPS_PROXY/https_proxy/ALL_PROXY and NO_PROXY, or "" for a direct connection. */
  export function getProxyForUrl(url: string | URL): string;
}
