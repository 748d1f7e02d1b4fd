/** Azure Resource Graph (filled in by the fleet support). */
import { errors } from "./arm-errors.mjs";
export const GRAPH_PATH = "/providers/microsoft.resourcegraph/resources";
export function graphQuery() {
  return errors.badRequest("Resource Graph is not simulated yet.");
}
