// "Azure Serial Console is not enabled for this subscription." — consoleServices/default says disabled: true.
import { SUB1 } from "../world/base.mjs";
export default (w) => {
  w.consoleServices[SUB1] = { disabled: true };
};
