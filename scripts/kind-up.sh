#!/usr/bin/env bash
# Deploys prismgate onto a kind cluster (needs Docker and kind; not run in CI, which has no Docker engine).
#   scripts/kind-up.sh [cluster-name]
set -euo pipefail
cd "$(dirname "$0")/.."
cluster=${1:-prismgate}
for tool in docker kind kubectl; do
  command -v "$tool" >/dev/null || { echo "kind-up: $tool is required" >&2; exit 1; }
done

kind get clusters | grep -qx "$cluster" || kind create cluster --name "$cluster"
kubectl config use-context "kind-$cluster"
docker build -t prismgate:latest .
kind load docker-image prismgate:latest --name "$cluster"
# CRDs first: the kustomization also holds custom resources (the default KindActionMapping). The Vimana
# CRDs only where the cluster has none: the operator's, where installed, are never replaced.
for crd in manifests/crds/*.yaml; do
  case "$crd" in
    */api.vimana.host_*) kubectl create -f "$crd" 2>/dev/null || echo "kind-up: $crd: that CRD is installed already; kept as it is" ;;
    *) kubectl apply --server-side -f "$crd" ;;
  esac
done
kubectl wait --for=condition=Established --timeout=60s -f manifests/crds/
kubectl apply --server-side -k manifests/
kubectl -n prismgate-system rollout status deployment/prismgate --timeout=180s
echo "waiting for the APIService v1.prism.kappnav.io to become Available"
kubectl wait --for=condition=Available apiservice/v1.prism.kappnav.io --timeout=120s
kubectl get prism -A
