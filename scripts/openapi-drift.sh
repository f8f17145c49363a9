#!/usr/bin/env bash
# Fails when the OpenAPI documents the build just wrote (docs/openapi/<service>.yaml, from
# quarkus.smallrye-openapi.store-schema-*) differ from the checked-in ones. Run after a build;
# fix by committing the regenerated files.
set -euo pipefail
cd "$(dirname "$0")/.."
changed="$(git status --porcelain -- docs/openapi)"
if [ -n "$changed" ]; then
  echo "OpenAPI drift: the build's documents differ from the checked-in docs/openapi (commit them):" >&2
  echo "$changed" >&2
  git --no-pager diff --stat -- docs/openapi >&2
  exit 1
fi
echo "OpenAPI documents match the build ($(ls docs/openapi/*.yaml | wc -l) services)"
