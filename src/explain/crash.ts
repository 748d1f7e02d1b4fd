/**
 * A client's crash is not an error from Azure. `ValueError: No value for given attribute` under a Python traceback
 * means the Azure CLI (or an extension) failed on something it did not expect; Azure refused nothing. What the trace
 * can still tell is where the client was: az serial-console crashes inside its boot diagnostics storage account
 * lookup when the account is not in the CLI's current subscription (it lists that subscription's accounts to find
 * the account's resource group, then asks for the account with none:
 * https://github.com/Azure/azure-cli-extensions/blob/main/src/serial-console/azext_serialconsole/custom.py,
 * reported as https://github.com/Azure/azure-cli/issues/33396).
 */
import type { DocumentedErrorId } from "../catalog/index.js";
import type { CheckId } from "../types.js";

export interface ClientCrash {
  /** Which client crashed, as far as the trace shows ("az serial-console (Azure CLI extension)"). */
  client: string;
  /** The exception line: "ValueError: No value for given attribute". */
  exception: string;
  /** The innermost frame in the client's own code: "get_storage_account_info (azext_serialconsole/custom.py, line 640)". */
  where?: string;
  /** What the client was doing, when the trace says so, the documented errors of that step and the known cause. */
  during?: { what: string; check: CheckId; entries: readonly DocumentedErrorId[]; cause?: string };
}

/** Exception types that mean a program error in the client, never an answer from a service. */
const PROGRAM_ERRORS = new Set([
  "ValueError",
  "TypeError",
  "AttributeError",
  "KeyError",
  "IndexError",
  "NameError",
  "UnboundLocalError",
  "AssertionError",
  "ZeroDivisionError",
  "RecursionError",
  "NotImplementedError",
  "ReferenceError",
  "RangeError",
]);

/**
 * Steps of a client that the documents cover, recognised by the functions in the trace and, where one function
 * crashes for different reasons, by the exception: most specific first. az serial-console's crashes are read
 * from its source (custom.py above): `parse_storage_account_url` splits a storage URI that may be None;
 * `get_region_from_storage_account` looks a firewalled account's region up in a fixed table of paired regions.
 */
const ACCOUNT_LOOKUP = {
  frame: /storage_account|storageaccount/i,
  what: "looking up the boot diagnostics storage account",
  check: "storage-account",
  entries: ["storage-rg-undetermined", "storage-account-not-found"],
} as const;

const STEPS = [
  {
    frame: /parse_storage_account_url/i,
    exception: /^AttributeError$/,
    what: "reading the VM's boot diagnostics storage URI",
    check: "boot-diagnostics",
    entries: ["boot-diagnostics-disabled"],
    cause: {
      client: /az serial-console/,
      text: "The VM has no boot diagnostics storage URI (managed boot diagnostics, or boot diagnostics off) and the extension reads the URI without checking for none. Managed boot diagnostics is enough for the console: connect from the portal, and enable boot diagnostics if it is off.",
    },
  },
  {
    frame: /get_region_from_storage_account|region_prefix_pairings/i,
    exception: /^KeyError$/,
    what: "looking up the region paired with a firewalled boot diagnostics storage account",
    check: "storage-firewall",
    entries: ["storage-forbidden"],
    cause: {
      client: /az serial-console/,
      text: "The account has firewall IP rules and its region (the KeyError's key) is not in the extension's table of paired regions: the known issue of az serial-console with firewalled boot diagnostics accounts. Use Serial Console in the portal, or managed boot diagnostics.",
    },
  },
  {
    ...ACCOUNT_LOOKUP,
    exception: /^ValueError$/,
    // custom.py: resource_group_from_storage_account_name() lists the current subscription's accounts only.
    cause: {
      client: /az serial-console/,
      text: "It looks for the account's resource group among the storage accounts of the CLI's current subscription only: an account in another subscription, or a deleted one, ends in this crash.",
    },
  },
  // Any other crash in the account lookup: the step is known, its cause is not.
  { ...ACCOUNT_LOOKUP, exception: /./ },
] as const satisfies readonly {
  frame: RegExp;
  /** The exception's type name ("KeyError"). */
  exception: RegExp;
  what: string;
  check: CheckId;
  entries: readonly DocumentedErrorId[];
  cause?: { client: RegExp; text: string };
}[];

interface Frame {
  file: string;
  line: number;
  fn: string;
  code: string;
}

const PY_FRAME = /File "([^"]+)", line (\d+), in ([\w<>.]+)[^\S\n]*(?:\n[^\S\n]*(?!File ")([^\n]*))?/g;
// Indentation is any white space but a line terminator (a paste from a web page indents with no-break spaces), not
// `\s*`: under the `m` flag `^` follows every \n, \r, U+2028 and U+2029, and `^\s*` ran from each over every later
// one (a paste of 50,000 empty lines took 3 s, quadratic).
const JS_FRAME = /^[^\S\n\r\u2028\u2029]*at (?:([\w$.<>[\] ]+) \()?([^()\s]+):(\d+):\d+\)?\s*$/gm;
// Browsers prefix the console line with its source ("jquery-3.1.1.min.js:2 Uncaught TypeError: …").
const EXCEPTION =
  /^[^\S\n\r\u2028\u2029]*(?:\S+:\d+\s+)?(?:Uncaught\s+)?((?:[A-Za-z_][\w]*\.)*([A-Za-z_]\w*(?:Error|Exception))):\s*(.*)$/gm;

/** The frames, outermost first: Python prints them so, JavaScript prints the innermost first. */
function framesOf(paste: string): Frame[] {
  const frames: Frame[] = [];
  for (const m of paste.matchAll(PY_FRAME))
    frames.push({ file: m[1] ?? "", line: Number(m[2]), fn: m[3] ?? "", code: (m[4] ?? "").trim() });
  const js = [...paste.matchAll(JS_FRAME)].map((m) => ({
    file: m[2] ?? "",
    line: Number(m[3]),
    fn: (m[1] ?? "<anonymous>").trim(),
    code: "",
  }));
  return [...frames, ...js.reverse()];
}

function clientOf(frames: readonly Frame[]): string {
  const files = frames.map((frame) => frame.file.replace(/\\/g, "/"));
  if (files.some((file) => /azext_serialconsole|cliextensions\/serial-console/.test(file)))
    return "az serial-console (Azure CLI extension)";
  if (files.some((file) => /azure\/cli\/|knack\//.test(file))) return "the Azure CLI";
  if (files.some((file) => /\.[cm]?js$/.test(file))) return "a JavaScript client (the portal page or a Node.js tool)";
  return "a Python client";
}

/** The innermost frame in the client's own code (an extension, then the CLI, then any). */
function ownFrame(frames: readonly Frame[]): Frame | undefined {
  const reversed = [...frames].reverse();
  return (
    reversed.find((frame) => /azext_/.test(frame.file)) ??
    reversed.find((frame) => /azure[\\/]cli[\\/]/.test(frame.file)) ??
    reversed.find((frame) => !/site-packages|node_modules/.test(frame.file)) ??
    reversed[0]
  );
}

/** A client crash in the paste, or undefined when there is none (an Azure error inside a trace is not a crash). */
export function detectCrash(paste: string): ClientCrash | undefined {
  const exceptions = [...paste.matchAll(EXCEPTION)];
  const last = exceptions[exceptions.length - 1];
  if (last === undefined || !PROGRAM_ERRORS.has(last[2] ?? "")) return undefined;
  const frames = framesOf(paste);
  if (frames.length === 0) return undefined;
  const own = ownFrame(frames);
  const file = own?.file.replace(/\\/g, "/").split("/").slice(-2).join("/");
  const type = last[2] ?? "";
  const step = STEPS.find((s) => s.exception.test(type) && frames.some((frame) => s.frame.test(frame.fn) || s.frame.test(frame.code)));
  const client = clientOf(frames);
  const cause = step && "cause" in step && step.cause.client.test(client) ? step.cause.text : undefined;
  return {
    client,
    exception: `${type}: ${(last[3] ?? "").trim()}`.replace(/:\s*$/, ""),
    ...(own ? { where: `${own.fn} (${file}, line ${own.line})` } : {}),
    ...(step ? { during: { what: step.what, check: step.check, entries: step.entries, ...(cause ? { cause } : {}) } } : {}),
  };
}
