#!/usr/bin/env bash
# The scheduled Serial Console readiness audit, shared by the GitHub Actions and Azure DevOps examples (copy it
# into your repository as examples/ci/sc-doctor-audit.sh, the path both pipelines run, or change that path in
# them). Run after an Azure login (OIDC / workload identity federation):
# sc-doctor uses DefaultAzureCredential, which picks up the Azure CLI session the login step leaves.
#
# Writes $OUT_DIR/audit.sarif (code scanning; not when the audit failed) and $OUT_DIR/audit.json (the next run's
# baseline; when the audit failed, the baseline carried forward, with the error report in $OUT_DIR/audit-error.json).
# Exit: 1 when VMs became blocked since $BASELINE, 3 when the audit could not evaluate everything, 2 when sc-doctor
# itself could not be installed or run (the message says why), 0 otherwise.
# (Without a baseline — the first run — findings alone do not fail the job, only a change does; what could not be
# evaluated still exits 3.)
#
# Environment:
#   SC_DOCTOR_PACKAGE    the pinned sc-doctor to install, explicitly (this job holds Azure credentials: never let a
#                        name be resolved at run time). One of:
#                          https://github.com/sc-doctor/sc-doctor/releases/download/v0.1.0/sc-doctor-0.1.0.tgz
#                          sc-doctor@0.1.0                        (once published to the npm registry)
#   SC_DOCTOR            an sc-doctor command already installed (skips the install), e.g. "sc-doctor"
#   SC_DOCTOR_AUDIT_ARGS scope options, ONE PER LINE (no shell quoting needed; blank lines are ignored), e.g.
#                          --subscription
#                          00000000-0000-0000-0000-000000000000
#                          --where
#                          location =~ 'westeurope'
#   BASELINE             the previous run's audit.json (optional; when that run failed it holds an error report, not
#                        results, and is not used)
#   OUT_DIR              where to write (default: .)
set -uo pipefail

fail_setup() {
  echo "sc-doctor-audit: $*" >&2
  echo "sc-doctor-audit: see 'Install' in https://github.com/sc-doctor/sc-doctor#install" >&2
  exit 2
}

if [ -n "${SC_DOCTOR:-}" ]; then
  read -r -a sc_doctor <<< "$SC_DOCTOR"
elif [ -n "${SC_DOCTOR_PACKAGE:-}" ]; then
  prefix="$(mktemp -d "${RUNNER_TEMP:-${AGENT_TEMPDIRECTORY:-/tmp}}/sc-doctor.XXXXXX")"
  if ! npm install --global --prefix "$prefix" --no-audit --no-fund "$SC_DOCTOR_PACKAGE" > "$prefix/install.log" 2>&1; then
    tail -n 20 "$prefix/install.log" >&2
    fail_setup "could not install sc-doctor from SC_DOCTOR_PACKAGE='$SC_DOCTOR_PACKAGE' (npm failed, log above)"
  fi
  sc_doctor=("$prefix/bin/sc-doctor")
else
  fail_setup "set SC_DOCTOR_PACKAGE to the pinned sc-doctor to install (a release tarball URL or sc-doctor@<version>), or SC_DOCTOR to an installed one"
fi
if ! version="$("${sc_doctor[@]}" --version 2>&1)"; then
  fail_setup "'${sc_doctor[*]} --version' failed: $version"
fi
echo "sc-doctor-audit: using sc-doctor $version" >&2

# Does this audit.json hold results? A run that failed (e.g. could not sign in) writes an error report instead.
holds_results() {
  node -e 'process.exit(Array.isArray(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).results) ? 0 : 1)' "$1" 2> /dev/null
}

# Did this audit.json leave something unevaluated: a subscription not audited, a VM not evaluated, a check in error,
# a -g resource group found nowhere (a typo)?
# Also when it is no audit at all (sc-doctor crashed before writing one).
incomplete() {
  node -e '
    let audit;
    try {
      audit = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    } catch {
      process.exit(0);
    }
    if (!Array.isArray(audit.results)) process.exit(0);
    const summary = audit.summary ?? {};
    const gaps =
      (summary.unevaluatedSubscriptions ?? []).length + (summary.notEvaluated ?? []).length + (summary.absentResourceGroups ?? []).length;
    const errors = (audit.results ?? []).some((result) => result.checks.some((check) => check.status === "error"));
    process.exit(gaps > 0 || errors ? 0 : 1);
  ' "$1" 2> /dev/null
}

scope=()
# Empty lines dropped: a YAML `|` block ends with a newline, which would otherwise be an empty argument (exit 2).
while IFS= read -r arg; do
  if [ -n "$arg" ]; then scope+=("$arg"); fi
done <<< "${SC_DOCTOR_AUDIT_ARGS:-}"
out="${OUT_DIR:-.}"
mkdir -p "$out"

# One audit (--no-network: a CI runner is not where people open the console from, so its network path proves
# nothing); the SARIF is rendered from its JSON by `report`, so both files say the same and Azure is asked once.
drift=()
if [ -n "${BASELINE:-}" ] && [ -s "$BASELINE" ]; then
  # A run that failed leaves an error report, not results: audit as a first run instead.
  if holds_results "$BASELINE"; then
    drift=(--baseline "$BASELINE" --fail-on-drift)
  else
    echo "sc-doctor-audit: $BASELINE holds no audit results (the previous run failed?): auditing without a baseline" >&2
  fi
elif [ -n "${BASELINE:-}" ]; then
  echo "sc-doctor-audit: $BASELINE does not exist or is empty: auditing without a baseline" >&2
fi
# `${a[@]+"${a[@]}"}`: an empty array expands to nothing under `set -u` on bash before 4.4 too (macOS's 3.2).
"${sc_doctor[@]}" audit --no-network ${scope[@]+"${scope[@]}"} --output json ${drift[@]+"${drift[@]}"} > "$out/audit.json"
status=$?
# First run: findings alone (1) do not fail the job; what could not be evaluated (3) still does — also when findings
# made the audit's own code 1 (they come before 3 there), so the saved JSON is asked.
if [ "${#drift[@]}" -eq 0 ] && [ "$status" -eq 1 ]; then
  if incomplete "$out/audit.json"; then status=3; else status=0; fi
fi

audited=0
if holds_results "$out/audit.json"; then audited=1; fi
# A failed run with a baseline of results carries that baseline forward as its audit.json (its own error report
# beside it): the pipelines upload audit.json for the next run, which must still compare with the last audit that
# completed — not audit as a first run, where a VM that became blocked meanwhile would pass as "still blocked".
if [ "$audited" -eq 0 ] && [ "${#drift[@]}" -gt 0 ]; then
  mv "$out/audit.json" "$out/audit-error.json"
  cp "$BASELINE" "$out/audit.json"
  echo "sc-doctor-audit: the audit failed (its report: $out/audit-error.json); $out/audit.json carries $BASELINE forward, the last audit that completed" >&2
fi

# No SARIF from a failed run: its error report has no results, and code scanning would close every open alert as
# fixed. Without the file the pipelines' upload step is skipped.
rm -f "$out/audit.sarif"
sarif_status=0
if [ "$audited" -eq 1 ]; then
  "${sc_doctor[@]}" report "$out/audit.json" --quiet --output sarif --exit-zero > "$out/audit.sarif"
  sarif_status=$?
  # Azure Pipelines cannot test for a file in a condition: its SARIF publish step reads this variable instead.
  if [ -n "${TF_BUILD:-}" ]; then echo "##vso[task.setvariable variable=SC_DOCTOR_SARIF]true"; fi
else
  echo "sc-doctor-audit: $out/audit.json holds no audit results (the audit failed, see above): no SARIF written" >&2
fi

if [ "$status" -eq 1 ] && command -v jq > /dev/null; then
  jq -r '.summary.drift.newlyBlocked[] | "newly blocked: \(.)"' "$out/audit.json" >&2
fi
if [ "$sarif_status" -ne 0 ] && [ "$status" -eq 0 ]; then status=$sarif_status; fi
exit "$status"
