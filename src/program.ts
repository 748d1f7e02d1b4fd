/**
 * The CLI as a function: argument parsing and exit codes only, `run(argv, io)` → exit code. src/cli.ts (the `sc-doctor`
 * binary) calls it with the process's streams; the test suite calls it with its own. Everything heavy (Azure SDK,
 * checks, formatters) is imported lazily so `--version` and `--help` start fast.
 */
import { Command, CommanderError, Option } from "commander";
import { EXIT } from "./engine/exit-code.js";
import { cliIo, withCliIo, type CliIo } from "./commands/io.js";
import { UsageError, type CommonOptions } from "./commands/options.js";
import { sanitizeLine } from "./report/sanitize.js";
import { maskStream } from "./report/secrets.js";
import type { AuditCliOptions } from "./commands/audit.js";
import type { ReportCliOptions } from "./commands/report.js";
import { OUTPUT_FORMATS, outputFormatsHelp } from "./report/formats.js";
import { VERSION } from "./version.js";

const pkg = { version: VERSION };

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** How sign-in works, in every Azure command's help: the first thing a new user gets wrong. */
const SIGN_IN_HELP = `
Sign-in:
  DefaultAzureCredential tries, in order: environment variables (AZURE_TENANT_ID +
  AZURE_CLIENT_ID + AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH), workload
  identity (AZURE_FEDERATED_TOKEN_FILE), managed identity, Visual Studio Code, Azure
  CLI ('az login'), Azure PowerShell, Azure Developer CLI. --verbose says which were
  tried and why each failed. AZURE_TOKEN_CREDENTIALS=AzureCliCredential (or another
  credential's name, or 'prod'/'dev') narrows the chain to it.`;

const OUTPUT_HELP = `
Without -o, the output is a table on a terminal and JSON when stdout is piped or
redirected.`;

const EXIT_HELP = `
Exit codes: 0 nothing at or above --fail-on, 1 findings, 2 usage error, 3 could not
evaluate (sign-in failed, VM not found, checks in error), 4 internal error (a bug).`;

/** Options shared by every command that talks to Azure (docs/contract.md, "Options"). */
/** Options the doctor and `report` share, spelled once (the same help text in both). */
const redactOption = () =>
  new Option(
    "--redact",
    "mask subscription, tenant and object ids, user names and e-mail addresses in every output (secrets always are)",
  ).helpGroup("Output:");
const noColorOption = () => new Option("--no-color", "no colours (also NO_COLOR)").helpGroup("Output:");
const failOnOption = () =>
  new Option("--fail-on <status>", "lowest status that makes the exit code 1")
    .choices(["fail", "warn"])
    .default("fail")
    .helpGroup("Checks:");

/** `quiet`: what -q does, which differs (only the --vm table is shortened; an audit's is not). */
function azureOptions(command: Command, quiet: string): Command {
  return command
    .addOption(new Option("-o, --output <format>", outputFormatsHelp()).choices(OUTPUT_FORMATS).helpGroup("Output:"))
    .addOption(redactOption())
    .addOption(new Option("-q, --quiet", quiet).helpGroup("Output:"))
    .addOption(
      new Option(
        "-v, --verbose",
        "who signed in (or each failed sign-in attempt), timings, waits Azure asks for and one line per Azure request on stderr",
      ).helpGroup("Output:"),
    )
    .addOption(noColorOption())
    .addOption(
      new Option("--only <ids>", "comma-separated check ids to run (see 'sc-doctor checks'; repeatable)")
        .argParser(joinIds("--only"))
        .helpGroup("Checks:"),
    )
    .addOption(
      new Option("--skip <ids>", "comma-separated check ids to leave out (repeatable)").argParser(joinIds("--skip")).helpGroup("Checks:"),
    )
    .addOption(failOnOption())
    .addOption(new Option("--exit-zero", "exit 0 whenever the run completed, whatever it found").helpGroup("Checks:"))
    .addOption(
      new Option("--timeout <ms>", "per check, in milliseconds (signing in gets at least 10000)").default("15000").helpGroup("Checks:"),
    )
    .addOption(
      new Option("--concurrency <n>", "parallel checks / VMs (default: 16 checks for --vm, 16 VMs for audit)").helpGroup("Checks:"),
    )
    .addOption(
      new Option("--principal <objectId>", "evaluate RBAC for this user/group/service principal instead of you")
        .argParser(once("--principal", "one identity per run"))
        .helpGroup("Checks:"),
    )
    .addOption(
      new Option(
        "--legacy-storage-path",
        "judge the custom boot diagnostics storage account as the console's connection path, as before Azure's end-2025 change",
      ).helpGroup("Checks:"),
    )
    .addOption(
      new Option("--cloud <name>", "Azure cloud")
        .choices(["AzureCloud", "AzureChinaCloud", "AzureUSGovernment"])
        .default("AzureCloud")
        .helpGroup("Azure and network:"),
    )
    .addOption(
      new Option("--arm-endpoint <url>", "Resource Manager https:// base URL (env SC_DOCTOR_ARM_ENDPOINT)").helpGroup("Azure and network:"),
    )
    .addOption(new Option("--console-endpoint <url>", "Serial Console websocket endpoint to probe").helpGroup("Azure and network:"))
    .addOption(
      new Option("--resolve <host:port:address>", "curl-style DNS override for the network probe (repeatable)")
        .argParser(collect)
        .helpGroup("Azure and network:"),
    )
    .addOption(new Option("--no-network", "skip the network probe from this machine").helpGroup("Azure and network:"));
}

/** `--skip a --skip b` is `--skip a,b`: a list split over two flags must not lose its first half. */
function joinIds(flag: string) {
  return (value: string, previous: string | undefined): string => {
    // Each occurrence must name something: `--only "$CHECKS"` with the variable unset would otherwise vanish.
    if (value.split(",").every((id) => id.trim() === "")) throw new UsageError(`${flag} needs at least one check id`);
    return previous === undefined ? value : `${previous},${value}`;
  };
}

/** A one-value option given twice is a usage error, not "the last one wins" (one VM, one identity per run). */
function once(flag: string, why = "one VM per run (audit for more)") {
  return (value: string, previous: string | undefined): string => {
    if (previous !== undefined) throw new UsageError(`${flag} is given twice ('${previous}', '${value}'): ${why}`);
    return value;
  };
}

/** `sc-doctor audti`: the root takes no operands, so a stray word is a mistyped command (commander suggests the nearest). */
function rejectStrayCommand(command: Command): void {
  if (command.args.length > 0) (command as unknown as { unknownCommand(): never }).unknownCommand();
}

/**
 * `sc-doctor -o json audit`: options before a command are parsed by the root, which the command never reads.
 * One the command also has is handed to it (as if written after it); one it lacks is a usage error naming it
 * (`sc-doctor --vm x audit` must not audit the whole tenant as if --vm had not been given).
 */
function adoptRootOptions(root: Command, command: Command): void {
  if (command === root) return;
  for (const option of root.options) {
    const name = option.attributeName();
    if (root.getOptionValueSource(name) !== "cli") continue;
    const flag = option.long ?? option.short ?? option.flags;
    const own = command.options.find((candidate) => candidate.long === option.long);
    if (!own) throw new UsageError(`${flag} is not an option of '${command.name()}' (see sc-doctor ${command.name()} --help)`);
    if (command.getOptionValueSource(name) === "cli")
      throw new UsageError(`${flag} is given both before and after '${command.name()}': give it once, after the command`);
    const given: unknown = root.getOptionValue(name);
    let value: unknown = given;
    // Re-read through the command's own parser: its choices, and its repeatable options' lists.
    if (own.parseArg && typeof given !== "boolean") {
      value = undefined;
      for (const one of Array.isArray(given) ? given : [given])
        try {
          value = own.parseArg(String(one), value);
        } catch (error) {
          if (error instanceof UsageError) throw error;
          // As commander words it when the option follows the command.
          throw new UsageError(`option '${own.flags}' argument '${String(one)}' is invalid. ${(error as Error).message}`);
        }
    }
    command.setOptionValueWithSource(name, value, "cli");
  }
}

/** The commands; each action stores its exit code in `outcome` (never in process.exitCode: `run` may be in-process). */
export function buildProgram(outcome: { code?: number } = {}): Command {
  const program = new Command("sc-doctor")
    .description("Tells you whether Azure Serial Console will work for a VM — and if not, exactly why.")
    .usage("--vm <id> [options]\n       sc-doctor <command> [options]")
    // -V only: `-v` is --verbose, so a CI gate that types `-vm` gets a usage error instead of exiting 0.
    .version(pkg.version, "-V, --version", "print the version")
    .helpOption("-h, --help", "show help (also: sc-doctor help [command])")
    .helpCommand("help [command]", "show help for a command")
    .showSuggestionAfterError(true)
    // Sub-commands (audit, explain, checks) declare their own -o/--output: without this the root's copy would
    // swallow `sc-doctor explain -o json …`.
    .enablePositionalOptions()
    .hook("preAction", adoptRootOptions)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => cliIo().stdout.write(text),
      writeErr: (text) => cliIo().stderr.write(text),
      // As commander's defaults, on the run's streams (its typings say number; undefined means "the default width").
      getOutHelpWidth: () => (cliIo().stdout.isTTY ? cliIo().stdout.columns : undefined) as number,
      getErrHelpWidth: () => (cliIo().stderr.isTTY ? cliIo().stderr.columns : undefined) as number,
    });

  program
    .addOption(
      new Option("--vm <id|name>", "VM resource id, scale set instance id, portal URL, or a VM name with -g")
        .argParser(once("--vm"))
        .helpGroup("VM:"),
    )
    .addOption(
      new Option("-g, --resource-group <rg>", "resource group (with --vm <name>)").argParser(once("-g/--resource-group")).helpGroup("VM:"),
    )
    .addOption(
      new Option(
        "--subscription <id>",
        "subscription id (with --vm <name>; default AZURE_SUBSCRIPTION_ID, then the az CLI default, then the one you can see that holds the VM)",
      )
        .argParser(once("--subscription"))
        .helpGroup("VM:"),
    );
  azureOptions(program, "no progress or summary on stderr; the --vm table shows only the verdict and the checks that did not pass")
    .addOption(new Option("--no-serial-log", "do not read the boot diagnostics serial log (serial-log check)").helpGroup("Checks:"))
    .action(async (options: CommonOptions, command: Command) => {
      rejectStrayCommand(command);
      const [{ runDoctor }, { withRedactedStderr }] = await Promise.all([import("./commands/doctor.js"), import("./commands/render.js")]);
      outcome.code = await withRedactedStderr(options, () => runDoctor(options, pkg.version));
    });

  const audit = program
    .command("audit")
    .description("audit whole subscriptions: which VMs would leave you without a console")
    .addOption(
      new Option("--subscription <id>", "subscription to audit (repeatable; default: every subscription you can see)")
        .argParser(collect)
        .helpGroup("Scope:"),
    )
    .addOption(new Option("-g, --resource-group <rg>", "resource group to audit (repeatable)").argParser(collect).helpGroup("Scope:"))
    .addOption(new Option("--where <kql>", "a Resource Graph filter on VMs, e.g. \"location =~ 'westeurope'\"").helpGroup("Scope:"))
    .addOption(new Option("--tag <key[=value]>", "only VMs with this tag (repeatable)").argParser(collect).helpGroup("Scope:"))
    .addOption(
      new Option("--source <source>", "enumerate with Azure Resource Graph or the ARM list APIs")
        .choices(["graph", "arm"])
        .default("graph")
        .helpGroup("Scope:"),
    )
    .addOption(
      new Option("--baseline <file>", "a previous 'audit --output json': report newly blocked, fixed and still blocked VMs").helpGroup(
        "Scope:",
      ),
    )
    .addOption(new Option("--fail-on-drift", "with --baseline: exit 1 only when VMs became blocked since the baseline").helpGroup("Scope:"))
    .addOption(
      new Option("--shard <k/n>", "evaluate shard k of n (balanced by VM; merge the shards' outputs with 'sc-doctor report')").helpGroup(
        "Scope:",
      ),
    );
  azureOptions(audit, "no progress or summary on stderr")
    .addOption(
      new Option("--serial-log", "also read each VM's boot diagnostics serial log (one POST and a ranged blob read per VM)").helpGroup(
        "Checks:",
      ),
    )
    .action(async (options: AuditCliOptions) => {
      const [{ runAuditCommand }, { withRedactedStderr }] = await Promise.all([
        import("./commands/audit.js"),
        import("./commands/render.js"),
      ]);
      outcome.code = await withRedactedStderr(options, () => runAuditCommand(options, pkg.version));
    })
    .addHelpText(
      "after",
      `
Examples:
  sc-doctor audit                                      # every subscription you can see
  sc-doctor audit --subscription <id> -g rg1 -o jsonl > fleet.jsonl
  sc-doctor audit --where "location =~ 'westeurope'" --tag env=prod
  sc-doctor audit -o json --exit-zero > today.json && sc-doctor audit --baseline today.json --fail-on-drift
  sc-doctor audit --shard 2/4 -o json > shard-2.json   # one CI job of four; merge with 'sc-doctor report'
${OUTPUT_HELP}
${SIGN_IN_HELP}

Exit codes: 0 no VM at or above --fail-on, 1 some VM has findings (with --fail-on-drift:
VMs became blocked since --baseline), 2 usage error, 3 a subscription or VM could not be
evaluated (or Ctrl-C), 4 internal error (a bug).`,
    );

  program
    .command("report")
    .description("merge saved 'audit -o json' / '-o jsonl' outputs (shards, runs), recompute the summary and render them")
    .argument("<files...>", "saved audit outputs ('-' for stdin)")
    .addOption(new Option("-o, --output <format>", outputFormatsHelp()).choices(OUTPUT_FORMATS).helpGroup("Output:"))
    .addOption(redactOption())
    .addOption(new Option("-q, --quiet", "print only the result; no summary on stderr").helpGroup("Output:"))
    .addOption(noColorOption())
    .addOption(failOnOption())
    .addOption(new Option("--exit-zero", "exit 0 whatever the results say").helpGroup("Checks:"))
    .action(async (files: string[], options: ReportCliOptions) => {
      const [{ runReport }, { withRedactedStderr }] = await Promise.all([import("./commands/report.js"), import("./commands/render.js")]);
      outcome.code = await withRedactedStderr(options, () => runReport(files, options, pkg.version));
    })
    .addHelpText(
      "after",
      `
Examples:
  sc-doctor report shard-*.json -o sarif > fleet.sarif     # merge a CI matrix's shards
  sc-doctor report shard-*.json -o html > fleet.html
  cat fleet.jsonl | sc-doctor report - -o markdown

Drift against a baseline is computed by 'audit --baseline' only: report does not carry an
input's summary.drift over (the inputs may not share one baseline).

Exit codes: 0 no VM at or above --fail-on, 1 some VM has findings, 2 usage error (unreadable
input, a VM in two inputs), 3 a subscription or VM in the inputs was not evaluated, 4 internal error (a bug).`,
    );

  program
    .command("explain")
    .description("find the documented error for a pasted message, error code or HTTP status; or name the boot state in a serial log")
    .argument("[text...]", 'the pasted error text, error code or HTTP status ("-": read it from standard input)')
    .option("--log <file|->", "a saved boot diagnostics serial log ('-' reads standard input)")
    .addOption(new Option("-o, --output <format>", "table or json").choices(["table", "json"]))
    .option("--no-color", "no colours (also NO_COLOR)")
    .addHelpText(
      "after",
      `
Examples:
  sc-doctor explain "Web socket is closed or couldn't be opened"   # a message as copied (wrapped, re-quoted)
  sc-doctor explain SubscriptionNotEnabled                        # an error code
  sc-doctor explain EncryptedDiskNotSupported                     # another code
  sc-doctor explain 409                                           # an HTTP status
  az vm show -g rg1 -n vm1 2>&1 | sc-doctor explain -             # a failed az command's error, from stdin
  az serial-console connect -n vm1 -g rg1 2>&1 | sc-doctor explain -   # '-' reads the paste from standard input
  pbpaste | sc-doctor explain - -o json           # an ARM error document, a console screen, a crash trace
  sc-doctor explain --log serial.log              # name the boot failure in a saved boot diagnostics serial log
  az vm boot-diagnostics get-boot-log -n vm1 -g rg1 | sc-doctor explain --log -

Exit codes: 0 a documented error matches, 1 none does (the nearest candidates and how to search by code are shown),
2 usage error (nothing to look up).
With --log: 0 the latest boot reached a login prompt or SAC>, 1 it shows a boot failure or a blank console,
2 the file cannot be read, 3 it cannot tell (the log's last 2 MiB hold no boot start and no prompt, only later output).`,
    )
    .action(async (words: string[], options: { output?: "table" | "json"; color: boolean; log?: string }) => {
      if (options.log !== undefined) {
        if (words.length > 0) throw new UsageError("explain takes either pasted text or --log <file>, not both");
        const { runExplainLog } = await import("./commands/explain-log.js");
        outcome.code = await runExplainLog(options.log, options);
        return;
      }
      const { runExplain } = await import("./commands/explain.js");
      outcome.code = await runExplain(words.join(" "), options);
    });

  program
    .command("checks")
    .description("list every check: id, title, the facts it reads and the permission it needs")
    .addOption(new Option("-o, --output <format>", "output format").choices(["table", "json"]))
    .option("--no-color", "no colours (also NO_COLOR)")
    .action(async (options: { output?: "table" | "json" }) => {
      const { runChecksList } = await import("./commands/checks.js");
      outcome.code = await runChecksList(options);
    })
    .addHelpText(
      "after",
      `
Examples:
  sc-doctor checks
  sc-doctor checks -o json | jq -r '.checks[].id'
  sc-doctor --vm <id> --only power-state,boot-diagnostics   # run just these

Exit codes: 0 always (2 for a bad option).`,
    );

  program.addHelpText(
    "after",
    `
Examples:
  sc-doctor --vm /subscriptions/<id>/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1
  sc-doctor --vm vm1 -g rg1 -o markdown > ticket.md      # redacted report for a support ticket
  sc-doctor --vm vm1 -g rg1 -o json | jq .verdict
  sc-doctor explain "Web socket is closed or couldn't be opened"
  sc-doctor explain --log serial.log                    # name the boot failure in a saved serial log
  sc-doctor audit --subscription <id> -o jsonl > fleet.jsonl
  sc-doctor report shard-*.json -o html > fleet.html       # merge 'audit --shard k/n -o json' outputs
  sc-doctor help audit
${OUTPUT_HELP}
${SIGN_IN_HELP}
${EXIT_HELP}`,
  );
  // After the sub-commands are declared (they copy the root's settings): the root alone accepts a stray operand,
  // so that rejectStrayCommand can name the command the user meant instead of "too many arguments".
  program.allowExcessArguments(true);
  return program;
}

/**
 * Run the CLI on `argv` (as process.argv: node, script, arguments…) and return its exit code. Without `io`, on the
 * process's streams (src/cli.ts masks them first). With `io`, on those streams, masked here the same way (secrets
 * from the environment as it is now); the environment itself is process.env, as @azure/identity reads it.
 */
export async function run(argv: string[], io?: CliIo): Promise<number> {
  if (io === undefined) return main(argv);
  maskStream(io.stdout);
  maskStream(io.stderr);
  return withCliIo(io, () => main(argv));
}

/** What a run says when the program reading its output (`… | head`) closed it early. */
export const BROKEN_PIPE = "sc-doctor: stopped: the program reading the output closed it before the output was complete\n";

/**
 * The message for stdout failing other than by a closed pipe (a full disk, `> /dev/full`, an I/O error), or
 * undefined when `error` is no such failure: the output is incomplete — no finding, no bug of sc-doctor.
 */
export function outputFailure(error: unknown): string | undefined {
  const failure = error as NodeJS.ErrnoException | undefined;
  if (failure?.syscall !== "write" || failure.code === "EPIPE") return undefined;
  const code = failure.code ?? "error";
  const why = failure.message.includes(code) ? failure.message : `${code}: ${failure.message}`;
  return `sc-doctor: stopped: the output could not be written (${why}); what was written is incomplete\n`;
}

/**
 * Whether `argv` (process.argv's shape) asks only for help or the version: text a reader may stop reading at any
 * point (`sc-doctor --help | grep -q audit`), so a closed pipe is no failure there — exit 0, nothing said.
 */
export function asksForHelp(argv: readonly string[]): boolean {
  const args = argv.slice(2);
  // `help` only as the command (`-g help` names a resource group); the flags anywhere before `--`.
  const options = args.includes("--") ? args.slice(0, args.indexOf("--")) : args;
  return args[0] === "help" || options.some((arg) => ["-h", "--help", "-V", "--version"].includes(arg));
}

async function main(argv: string[]): Promise<number> {
  const outcome: { code?: number } = {};
  const program = buildProgram(outcome);
  const helpFor = argv[2] === "help" ? argv[3] : undefined;
  const commands = program.commands.map((command) => command.name());
  if (helpFor !== undefined && !commands.includes(helpFor)) {
    // Help about help, or with an option sc-doctor has (`help --help`, `help --no-color`, `help --`): the main help,
    // on stdout like any help asked for (commander takes the word for a command and writes its help to stderr).
    const asksForMain =
      ["help", "--help", "-h", "--"].includes(helpFor) || program.options.some((o) => o.long === helpFor || o.short === helpFor);
    if (!asksForMain) {
      // commander answers `help <unknown>` with the whole help and exit 0: a typo is a usage error.
      const what = helpFor.startsWith("-")
        ? `unknown option '${sanitizeLine(helpFor, 60)}' (try 'sc-doctor help' or 'sc-doctor help <command>')`
        : `unknown command '${sanitizeLine(helpFor, 60)}' (commands: ${commands.join(", ")})`;
      cliIo().stderr.write(`sc-doctor: help: ${what}\n`);
      return EXIT.usage;
    }
    argv = [...argv.slice(0, 2), "--help"];
  }
  try {
    await program.parseAsync(argv);
    return outcome.code ?? EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit 0; everything else commander rejects is a usage error.
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.code === "commander.help") return EXIT.ok;
      // `-vm` reads as -v (verbose) -m: name the likely intent.
      if (error.code === "commander.unknownOption" && argv.includes("-vm")) cliIo().stderr.write("(Did you mean --vm?)\n");
      return EXIT.usage;
    }
    if (error instanceof UsageError) {
      cliIo().stderr.write(`sc-doctor: ${error.message}\n`);
      return EXIT.usage;
    }
    // `… | head`: the reader went away. Not a bug; what was not written was not delivered, so not "done" either.
    if ((error as NodeJS.ErrnoException | undefined)?.code === "EPIPE") {
      if (asksForHelp(argv)) return EXIT.ok;
      cliIo().stderr.write(BROKEN_PIPE);
      return EXIT.unevaluated;
    }
    const unwritten = outputFailure(error);
    if (unwritten) {
      cliIo().stderr.write(unwritten);
      return EXIT.unevaluated;
    }
    const verbose = argv.includes("--verbose") || argv.includes("-v");
    const message = error instanceof Error ? error.message : String(error);
    cliIo().stderr.write(internalErrorText(message));
    if (verbose && error instanceof Error && error.stack) cliIo().stderr.write(`${error.stack}\n`);
    return EXIT.internal;
  }
}

/** What an internal error (a bug: exit 4) says, wherever it is caught. */
export function internalErrorText(message: string): string {
  return `sc-doctor: internal error: ${message}\nThis is a bug in sc-doctor; please report it (with --verbose output) at https://github.com/sc-doctor/sc-doctor/issues\n`;
}
