#!/usr/bin/env node
/**
 * Argument parsing and exit codes only. Everything heavy (Azure SDK, checks, formatters) is imported lazily so
 * `--version` and `--help` start fast.
 */
import { Command, CommanderError, Option } from "commander";
import { createRequire } from "node:module";
import { EXIT } from "./engine/exit-code.js";
import { UsageError, type CommonOptions } from "./commands/options.js";
import { maskStream } from "./commands/secrets.js";
import type { AuditCliOptions } from "./commands/audit.js";
import type { ReportCliOptions } from "./commands/report.js";

const pkg = createRequire(import.meta.url)("../package.json") as { version: string };

const OUTPUTS = ["table", "json", "jsonl", "markdown", "junit", "csv", "sarif"] as const;

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Options shared by every command that talks to Azure (CONTRACT.md "Options"). */
function azureOptions(command: Command): Command {
  return command
    .addOption(new Option("-o, --output <format>", "table (default on a TTY), json, jsonl, markdown, junit, csv, sarif").choices(OUTPUTS))
    .option("--only <ids>", "comma-separated check ids to run")
    .option("--skip <ids>", "comma-separated check ids to leave out")
    .addOption(new Option("--fail-on <status>", "lowest status that makes the exit code 1").choices(["fail", "warn"]).default("fail"))
    .option("--exit-zero", "exit 0 whenever the run completed, whatever it found")
    .option("--timeout <ms>", "per check, in milliseconds", "15000")
    .option("--concurrency <n>", "parallel checks / VMs")
    .option("--principal <objectId>", "evaluate RBAC for this user/group/service principal instead of the caller")
    .addOption(
      new Option("--cloud <name>", "Azure cloud").choices(["AzureCloud", "AzureChinaCloud", "AzureUSGovernment"]).default("AzureCloud"),
    )
    .option("--arm-endpoint <url>", "Resource Manager base URL (env SC_DOCTOR_ARM_ENDPOINT)")
    .option("--console-endpoint <url>", "Serial Console websocket endpoint to probe")
    .option("--resolve <host:port:address>", "curl-style DNS override for the network probe (repeatable)", collect)
    .option("--no-network", "skip the network probe from this machine")
    .option("--redact", "mask subscription ids, tenant ids and secrets in every output")
    .option("-q, --quiet", "print only the result")
    .option("--verbose", "print timings and request details on stderr")
    .option("--no-color", "no colours (also NO_COLOR)");
}

export function buildProgram(): Command {
  const program = new Command("sc-doctor")
    .description("Tells you whether Azure Serial Console will work for a VM — and if not, exactly why.")
    .version(pkg.version, "-v, --version")
    .showSuggestionAfterError(true)
    // Sub-commands (audit, explain, checks) declare their own -o/--output: without this the root's copy would
    // swallow `sc-doctor explain -o json …`.
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });

  azureOptions(program)
    .option("--vm <id|name>", "VM resource id, scale set instance id, portal URL, or a VM name with -g")
    .option("-g, --resource-group <rg>", "resource group (with --vm <name>)")
    .option(
      "--subscription <id>",
      "subscription id (with --vm <name>; default AZURE_SUBSCRIPTION_ID, then the az CLI default, then the one you can see that holds the VM)",
    )
    .action(async (options: CommonOptions) => {
      const { runDoctor } = await import("./commands/doctor.js");
      process.exitCode = await runDoctor(options, pkg.version);
    });

  azureOptions(program.command("audit").description("audit whole subscriptions: which VMs would leave you without a console"))
    .option("--subscription <id>", "subscription to audit (repeatable; default: every subscription the credential can see)", collect)
    .option("--resource-group <rg>", "resource group to audit (repeatable)", collect)
    .option("--where <kql>", "a Resource Graph filter on VMs, e.g. \"location =~ 'westeurope'\"")
    .option("--tag <key[=value]>", "only VMs with this tag (repeatable)", collect)
    .addOption(
      new Option("--source <source>", "enumerate with Azure Resource Graph or the ARM list APIs")
        .choices(["graph", "arm"])
        .default("graph"),
    )
    .option("--baseline <file>", "a previous 'audit --output json': report newly blocked, fixed and still blocked VMs")
    .option("--fail-on-drift", "with --baseline: exit 1 only when VMs became blocked since the baseline")
    .option("--shard <k/n>", "evaluate shard k of n (balanced by VM; merge the shards' outputs with 'sc-doctor report')")
    .action(async (options: AuditCliOptions) => {
      const { runAuditCommand } = await import("./commands/audit.js");
      process.exitCode = await runAuditCommand(options, pkg.version);
    });

  program
    .command("report")
    .description("merge saved 'audit -o json' / '-o jsonl' outputs (shards, runs), recompute the summary and render them")
    .argument("<files...>", "saved audit outputs ('-' for stdin)")
    .addOption(new Option("-o, --output <format>", "table (default on a TTY), json, jsonl, markdown, junit, csv, sarif").choices(OUTPUTS))
    .addOption(new Option("--fail-on <status>", "lowest status that makes the exit code 1").choices(["fail", "warn"]).default("fail"))
    .option("--exit-zero", "exit 0 whatever the results say")
    .option("--redact", "mask subscription ids, tenant ids and secrets in every output")
    .option("-q, --quiet", "print only the result")
    .option("--no-color", "no colours (also NO_COLOR)")
    .action(async (files: string[], options: ReportCliOptions) => {
      const { runReport } = await import("./commands/report.js");
      process.exitCode = await runReport(files, options, pkg.version);
    });

  program
    .command("explain")
    .description("find the documented error for a pasted message, error code or HTTP status")
    .argument("<text...>", "the pasted error text, error code or status")
    .addOption(new Option("-o, --output <format>", "table or json").choices(["table", "json"]))
    .option("--no-color", "no colours (also NO_COLOR)")
    .action(async (words: string[], options: { output?: "table" | "json"; color: boolean }) => {
      const { runExplain } = await import("./commands/explain.js");
      process.exitCode = await runExplain(words.join(" "), options);
    });

  program
    .command("checks")
    .description("list every check: id, title, the facts it reads and the permission it needs")
    .addOption(new Option("-o, --output <format>", "table or json").choices(["table", "json"]))
    .action(async (options: { output?: "table" | "json" }) => {
      const { runChecksList } = await import("./commands/checks.js");
      process.exitCode = await runChecksList(options);
    });

  program.addHelpText(
    "after",
    `
Examples:
  sc-doctor --vm /subscriptions/<id>/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1
  sc-doctor --vm vm1 -g rg1 -o markdown > ticket.md      # redacted report for a support ticket
  sc-doctor explain "Web socket is closed or couldn't be opened"
  sc-doctor audit --subscription <id> -o jsonl > fleet.jsonl
  sc-doctor audit --shard 2/4 -o json > shard-2.json      # one CI job of four; then:
  sc-doctor report shard-*.json -o sarif > fleet.sarif
  sc-doctor checks

Exit codes: 0 nothing at or above --fail-on, 1 findings, 2 usage error, 3 could not evaluate, 4 internal error.`,
  );
  return program;
}

async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === "number" ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit 0; everything else commander rejects is a usage error.
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.code === "commander.help") return EXIT.ok;
      return EXIT.usage;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`sc-doctor: ${error.message}\n`);
      return EXIT.usage;
    }
    const verbose = argv.includes("--verbose");
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(
      `sc-doctor: internal error: ${message}\nThis is a bug in sc-doctor; please report it (with --verbose output) at https://github.com/sc-doctor/sc-doctor/issues\n`,
    );
    if (verbose && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    return EXIT.internal;
  }
}

// Before anything can print: no token, SAS signature, account key or IDENTITY_HEADER reaches stdout or stderr.
maskStream(process.stdout);
maskStream(process.stderr);

process.on("unhandledRejection", (reason) => {
  process.stderr.write(`sc-doctor: internal error: unhandled rejection: ${reason instanceof Error ? reason.message : String(reason)}\n`);
  process.exit(EXIT.internal);
});

const code = await main(process.argv);
// Exit explicitly once stdout has drained: a hung request (bounded by --timeout) must not keep the process alive.
process.stdout.write("", () => process.exit(code));
