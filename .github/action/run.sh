#!/usr/bin/env bash
# The steps of backlint's GitHub Action (action.yml at the repository root), kept in a
# script so that they can be run and tested outside GitHub:
#   run.sh install   pip-installs backlint from the action's own checkout ($GITHUB_ACTION_PATH)
#   run.sh check     runs backlint on $BACKLINT_PATHS with $BACKLINT_ARGS, writes SARIF to
#                    $BACKLINT_SARIF and the findings as text to the log, and records the
#                    exit code as the step output `exit-code` ($GITHUB_OUTPUT).
# A configuration or input error (exit 2) fails the step at once; findings (exit 1) are left
# to the action's last step, after the SARIF is uploaded.
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
action_path="${GITHUB_ACTION_PATH:-$here}"

case "${1:-}" in
  install)
    target="$action_path"
    if [ -n "${BACKLINT_EXTRAS:-}" ]; then
      target="$action_path[${BACKLINT_EXTRAS}]"
    fi
    python -m pip install --quiet --disable-pip-version-check "$target"
    backlint --version
    ;;
  check)
    read -r -a paths <<< "${BACKLINT_PATHS:-.}"
    read -r -a args <<< "${BACKLINT_ARGS:-}"
    [ "${#paths[@]}" -gt 0 ] || paths=(.)
    sarif="${BACKLINT_SARIF:-backlint.sarif}"
    set +e
    backlint check "${paths[@]}" "${args[@]}" --format sarif --output "$sarif"
    code=$?
    set -e
    echo "exit-code=$code" >> "${GITHUB_OUTPUT:-/dev/null}"
    if [ "$code" -ge 2 ]; then
      echo "::error::backlint stopped with exit code $code (a configuration or input error: see above)"
      exit "$code"
    fi
    # the findings in the log too (a warm re-run: the result cache answers it)
    backlint check "${paths[@]}" "${args[@]}" --format github --exit-zero || true
    ;;
  *)
    echo "usage: run.sh install|check" >&2
    exit 2
    ;;
esac
