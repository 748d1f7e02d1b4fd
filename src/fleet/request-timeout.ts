/** The audit bounds each attempt with `--timeout`: the shared policy (src/azure/pipeline/request-timeout-policy.ts). */
export { requestTimeoutPolicy } from "../azure/pipeline/request-timeout-policy.js";
