#!/usr/bin/env bash
# CNCF distribution 2.8.2 (Debian's docker-registry) trusting berth's tokens: distribution names berth
# as its realm and trusts `berth auth cert`; skopeo logs in through that exchange, pushes and pulls.
# Usage: distribution-trust.sh FIXTURES_DIR. Prints PASS/FAIL lines and "N passed, M failed" last.
set -uo pipefail
cd "$(dirname "$0")/.."
fixtures=${1:-/var/tmp/berth-fixtures}
work=$(mktemp -d /var/tmp/berth-dtrust.XXXXXX)
berth_port=5311 dist_port=5312
pass=0 fail=0
check() { if "$@" >>"$work/log" 2>&1; then echo "PASS $name"; pass=$((pass+1)); else echo "FAIL $name"; fail=$((fail+1)); tail -5 "$work/log"; fi; }
cleanup() { kill $berth $dist 2>/dev/null; wait $berth $dist 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

echo testpass | ./berth user add testuser --admin --password-stdin --data "$work/berth" >/dev/null
BERTH_AUTH_OTHER_SERVICES=distribution-under-test ./berth serve --auth token --addr 127.0.0.1:$berth_port \
  --data "$work/berth" >"$work/berth.log" 2>&1 &
berth=$!
./berth auth cert --data "$work/berth" >"$work/bundle.pem"
cat >"$work/dist.yml" <<YAML
version: 0.1
log: {level: warn}
storage: {filesystem: {rootdirectory: $work/dist}, delete: {enabled: true}}
http: {addr: 127.0.0.1:$dist_port}
auth:
  token:
    realm: http://127.0.0.1:$berth_port/token
    service: distribution-under-test
    issuer: berth
    rootcertbundle: $work/bundle.pem
YAML
env -u REGISTRY_AUTH_FILE docker-registry serve "$work/dist.yml" >"$work/dist.log" 2>&1 &
dist=$!
for _ in $(seq 1 120); do
  curl -s -o /dev/null "http://127.0.0.1:$berth_port/v2/" && curl -s -o /dev/null "http://127.0.0.1:$dist_port/v2/" && break
  sleep 0.5
done

R=127.0.0.1:$dist_port
name="distribution challenges with berth as realm"
check bash -c "curl -si http://$R/v2/ | grep -q 'realm=\"http://127.0.0.1:$berth_port/token\"'"
name="skopeo push through distribution with berth tokens"
check skopeo copy --dest-creds testuser:testpass --dest-tls-verify=false "oci:$fixtures/oci/busybox-amd64:latest" "docker://$R/trust/busybox:1"
name="skopeo pull back, manifest bytes identical"
check bash -c "skopeo copy --src-creds testuser:testpass --src-tls-verify=false docker://$R/trust/busybox:1 dir:$work/pulled \
  && cmp <(skopeo inspect --raw --creds testuser:testpass --tls-verify=false docker://$R/trust/busybox:1) $work/pulled/manifest.json"
name="anonymous push refused"
check bash -c "! skopeo copy --dest-no-creds --dest-tls-verify=false oci:$fixtures/oci/busybox-amd64:latest docker://$R/trust/anon:1"
name="catalog with an admin token from berth"
check bash -c "tok=\$(curl -sf -u testuser:testpass 'http://127.0.0.1:$berth_port/token?service=distribution-under-test&scope=registry:catalog:*' | jq -r .token) \
  && curl -sf -H \"Authorization: Bearer \$tok\" http://$R/v2/_catalog | grep -q trust/busybox"
name="token for berth's own audience refused by distribution"
check bash -c "tok=\$(curl -sf -u testuser:testpass 'http://127.0.0.1:$berth_port/token?service=127.0.0.1:$berth_port&scope=registry:catalog:*' | jq -r .token) \
  && [ \"\$(curl -s -o /dev/null -w '%{http_code}' -H \"Authorization: Bearer \$tok\" http://$R/v2/_catalog)\" = 401 ]"
[ $fail -eq 0 ] || { echo "--- distribution log"; tail -20 "$work/dist.log"; echo "--- berth log"; tail -20 "$work/berth.log"; }
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
