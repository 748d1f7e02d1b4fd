// "Azure Serial Console is not enabled for this subscription." — Microsoft.SerialConsole answers 404 SubscriptionNotFound ({code,message}, no error wrapper).
import { SUB1 } from "../world/base.mjs";
export default (w) => {
  w.consoleServices[SUB1] = { notFound: true };
};
