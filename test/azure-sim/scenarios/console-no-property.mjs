// "Azure Serial Console is not enabled for this subscription." — as the az CLI sees it: consoleServices/default without a `disabled` property.
import { SUB1 } from "../world/base.mjs";
export default (w) => {
  w.consoleServices[SUB1] = {};
};
