# Sourced by the deploy checks: makes sure promtool and kubectl (with kustomize >= v5) are there.
# Idempotent; installs only from Debian's packages.

ensure_promtool() {
  if ! command -v promtool >/dev/null 2>&1; then
    echo "== installing promtool (Debian package prometheus)"
    # The package's postinst may try to start a prometheus daemon; policy-rc.d forbids it.
    local had_policy=0
    [ -e /usr/sbin/policy-rc.d ] && had_policy=1
    [ "$had_policy" = 1 ] || { printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; }
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null
    [ "$had_policy" = 1 ] || rm -f /usr/sbin/policy-rc.d
    if command -v systemctl >/dev/null 2>&1 && systemctl is-system-running >/dev/null 2>&1; then
      systemctl disable --now prometheus >/dev/null 2>&1 || true
    fi
  fi
  promtool --version 2>&1 | head -1
}

ensure_kustomize() {
  # `kubectl kustomize` with kustomize v5. Machines of this project's kind ship kubectl v1.32
  # (kustomize v5.5) in their image. Debian's own kubectl (package kubernetes-client, v1.20,
  # kustomize v2.0.3) is too old for these overlays (no `labels`, no directories in
  # `resources`), and no registry this project reaches offers a newer kustomize binary.
  if ! command -v kubectl >/dev/null 2>&1; then
    echo "FAIL: kubectl not found. Install a kubectl >= 1.27 (kustomize v5) to render the overlays;" >&2
    echo "      Debian's kubernetes-client (1.20) embeds kustomize v2.0.3, which cannot render them." >&2
    return 1
  fi
  local v
  v="$(kubectl version --client 2>/dev/null | sed -n 's/^Kustomize Version: v\([0-9]*\).*/\1/p')"
  if [ -z "$v" ] || [ "$v" -lt 5 ]; then
    echo "FAIL: $(command -v kubectl) has no kustomize v5 (found: ${v:-none})" >&2
    return 1
  fi
  kubectl version --client 2>/dev/null | tr '\n' ' '; echo
}
