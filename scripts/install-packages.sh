#!/usr/bin/env bash
# Installs the Debian packages contractwatch needs to build, test and run its demo, but only
# those that are missing (never an upgrade). Uses sudo when not root.
set -euo pipefail

# python3-jsonschema and python3-yaml: the tests validate generated ODCS files against the
# official JSON schema with them (and SARIF and GitLab reports against theirs); libxml2-utils:
# xmllint, which validates the JUnit reports against the JUnit XSD.
needed=(pkg-config libpq-dev libncursesw5-dev postgresql tmux locales python3-jsonschema python3-yaml libxml2-utils)
missing=()
for package in "${needed[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "contractwatch needs: ${missing[*]} (no apt-get here; install them with your package manager)" >&2
  exit 1
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "installing missing packages: ${missing[*]}"
$sudo apt-get update -qq
# The postgresql package would start a system cluster; we only need its programs (initdb, pg_ctl).
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
