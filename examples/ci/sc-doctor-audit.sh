#!/usr/bin/env bash
# The scheduled Serial Console readiness audit, shared by the GitHub Actions and Azure DevOps examples (copy it
# into your repository next to the pipeline). Run after an Azure login (OIDC / workload identity federation):
# sc-doctor uses DefaultAzureCredential, which picks up the Azure CLI session the login step leaves.
#
# Writes $OUT_DIR/audit.sarif (code scanning) and $OUT_DIR/audit.json (the next run's baseline).
# Exit: 1 when VMs became blocked since $BASELINE, 3 when the audit could not evaluate everything, 0 otherwise.
# (Without a baseline — the first run — findings alone do not fail the job: only a change does.)
#
# Environment:
#   SC_DOCTOR            how to run sc-doctor (default: a pinned version through npx)
#   SC_DOCTOR_AUDIT_ARGS scope options, ONE PER LINE (no shell quoting needed), e.g.
#                          --subscription
#                          00000000-0000-0000-0000-000000000000
#                          --where
#                          location =~ 'westeurope'
#   BASELINE             the previous run's audit.json (optional)
#   OUT_DIR              where to write (default: .)
set -uo pipefail

read -r -a sc_doctor <<< "${SC_DOCTOR:-npx --yes sc-doctor@0.1.0}"
scope=()
if [ -n "${SC_DOCTOR_AUDIT_ARGS:-}" ]; then mapfile -t scope <<< "$SC_DOCTOR_AUDIT_ARGS"; fi
out="${OUT_DIR:-.}"
mkdir -p "$out"

# --no-network: a CI runner is not where people open the console from, so its network path proves nothing.
"${sc_doctor[@]}" audit --no-network --quiet "${scope[@]}" --output sarif --exit-zero > "$out/audit.sarif"
sarif_status=$?

drift=(--exit-zero)
if [ -n "${BASELINE:-}" ] && [ -s "$BASELINE" ]; then drift=(--baseline "$BASELINE" --fail-on-drift); fi
"${sc_doctor[@]}" audit --no-network "${scope[@]}" --output json "${drift[@]}" > "$out/audit.json"
status=$?

if [ "$status" -eq 1 ] && command -v jq > /dev/null; then
  jq -r '.summary.drift.newlyBlocked[] | "newly blocked: \(.)"' "$out/audit.json" >&2
fi
if [ "$sarif_status" -ne 0 ] && [ "$status" -eq 0 ]; then status=$sarif_status; fi
exit "$status"
