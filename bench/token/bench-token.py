#!/usr/bin/env python3
"""bench-token.py CANDIDATE_URL BASELINE_URL --user USER:PASS [bench.py options]

The shared side-by-side benchmark ($SHARED/bench/bench.py) with Bearer token auth on both
registries. bench.py expects registries without auth; this script imports it and patches four
names in it, nothing else:

  * bench.Registry   every client bench.py makes (setup pushes, sanity checks, the pushes of
                     e1/e2/h) gets USER:PASS, so regclient does the challenge -> token flow itself
                     (401 -> GET realm with Basic credentials -> retry with the Bearer token, one
                     token per scope, cached until it expires);
  * bench.run_wrk    and bench.run_ab_head: the load generators get
                     `-H "Authorization: Bearer <token>"` with a pull token for the repository in
                     the URL (registry:catalog:* for /v2/_catalog). The token comes from the realm
                     in the registry's own challenge, is checked against the URL once when fetched,
                     and is renewed between slices when it would expire within slice + 40 s;
  * bench.render     the table gets a first line that says how auth was done.

Scenarios: the default is --only a,d,g,h (manifest GET, 4 KiB blob GET, manifest 404, many small
pushes). b, e1, e2 and f work too; c1/c8 are refused (bench.py runs curl there without a way to
add a header). Every other option goes to bench.py unchanged (--quick, --candidate-pid, --out ...).

Both registries must answer GET /v2/ with a 401 Bearer challenge (checked first). The harness is
found through $SHARED (default: ../shared beside the repository checkout).
"""
import base64
import functools
import json
import os
import re
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.environ.get("SHARED") or os.path.join(HERE, "..", "..", "..", "shared")
BENCH_DIR = os.path.join(SHARED, "bench")
if not os.path.exists(os.path.join(BENCH_DIR, "bench.py")):
    sys.exit("bench-token.py: %s/bench.py not found (set SHARED)" % BENCH_DIR)
sys.dont_write_bytecode = True  # leave the shared harness directory as it is (read-only in CI)
sys.path.insert(0, BENCH_DIR)
import bench  # noqa: E402
import regclient  # noqa: E402

DEFAULT_ONLY = "a,d,g,h"
REFUSED = ("c",)  # curl scenarios: no auth header possible without copying bench.py code


class TokenSource:
    """Pull tokens for wrk/ab, per (registry origin, scope), from the realm the registry names."""

    def __init__(self, user, password):
        self.basic = "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode()).decode()
        self.challenges = {}   # origin -> {"realm", "service"}
        self.tokens = {}       # (origin, scope) -> (token, expiry epoch)
        self.lifetimes = set()
        self.fetched = 0
        self.lock = threading.Lock()

    @staticmethod
    def _get(url, headers=None):
        req = urllib.request.Request(url, headers=headers or {})
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return r.status, dict(r.headers), r.read()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read()

    def challenge(self, origin):
        if origin not in self.challenges:
            status, hdrs, _ = self._get(origin + "/v2/")
            scheme, params = regclient.parse_challenge(
                next((v for k, v in hdrs.items() if k.lower() == "www-authenticate"), None))
            if status != 401 or scheme != "bearer" or not params.get("realm"):
                raise SystemExit("bench-token.py: %s/v2/ answered %d without a Bearer challenge: "
                                 "the registry is not in token mode" % (origin, status))
            self.challenges[origin] = params
        return self.challenges[origin]

    @staticmethod
    def scope_for(path):
        if path.startswith("/v2/_catalog"):
            return "registry:catalog:*"
        m = re.match(r"^/v2/(.+)/(manifests|blobs|tags)/", path)
        if not m:
            raise ValueError("no repository in %s" % path)
        return "repository:%s:pull" % m.group(1)

    def token_for_url(self, url, min_valid):
        u = urllib.parse.urlsplit(url)
        origin = "%s://%s" % (u.scheme, u.netloc)
        scope = self.scope_for(u.path)
        with self.lock:
            t = self.tokens.get((origin, scope))
            if t and t[1] - time.time() >= min_valid:
                return t[0]
            ch = self.challenge(origin)
            q = urllib.parse.urlencode([("service", ch.get("service", "")), ("scope", scope)])
            t0 = time.time()
            status, _, body = self._get(ch["realm"] + ("&" if "?" in ch["realm"] else "?") + q,
                                        {"Authorization": self.basic})
            if status != 200:
                raise regclient.RegistryError("token endpoint %s answered %d: %r" % (ch["realm"], status, body[:200]))
            j = json.loads(body)
            tok = j.get("token") or j.get("access_token")
            life = float(j.get("expires_in") or 60)
            self.lifetimes.add(life)
            if life < min_valid:
                raise regclient.RegistryError("token lifetime %.0f s is shorter than one slice needs (%.0f s)"
                                              % (life, min_valid))
            # the token must open the URL (not 401/403); 404 is fine (scenario g)
            status, _, _ = self._get(url, {"Authorization": "Bearer " + tok, "Accept": regclient.ACCEPT_MANIFESTS})
            if status in (401, 403):
                raise regclient.RegistryError("%s refuses the fetched token (HTTP %d)" % (url, status))
            self.tokens[(origin, scope)] = (tok, t0 + life)
            self.fetched += 1
            return tok


def main():
    args = sys.argv[1:]
    if not args or "-h" in args or "--help" in args:
        print(__doc__)
        print("bench.py options:\n")
        sys.argv = [os.path.join(BENCH_DIR, "bench.py"), "--help"]
        bench.main()
    user = None
    only = DEFAULT_ONLY
    rest = []
    i = 0
    while i < len(args):
        a = args[i]
        if a in ("--user", "--only") and i + 1 < len(args):
            val = args[i + 1]
            i += 2
        elif a.startswith("--user=") or a.startswith("--only="):
            a, val = a.split("=", 1)
            i += 1
        else:
            rest.append(a)
            i += 1
            continue
        if a == "--user":
            user = val
        else:
            only = val
    if not user or ":" not in user:
        sys.exit("bench-token.py: --user USER:PASS is required")
    ids = [x for x in only.split(",") if x]
    bad = [x for x in ids if x.startswith(REFUSED)]
    if bad:
        sys.exit("bench-token.py: scenarios %s (curl) are not supported with token auth" % ",".join(bad))
    name, password = user.split(":", 1)
    tokens = TokenSource(name, password)

    # 1. every regclient client bench.py creates carries the credentials
    bench.Registry = functools.partial(regclient.Registry, user=name, password=password)

    # 2. wrk and ab carry a Bearer token for the URL they hammer
    orig_wrk, orig_ab = bench.run_wrk, bench.run_ab_head

    def run_wrk(url, duration, conns, threads=2, headers=(), timeout_s=10):
        tok = tokens.token_for_url(url, duration + timeout_s + 30)
        return orig_wrk(url, duration, conns, threads, list(headers) + ["Authorization: Bearer " + tok], timeout_s)

    def run_ab_head(url, duration, conns, headers=()):
        tok = tokens.token_for_url(url, duration + 40)
        return orig_ab(url, duration, conns, list(headers) + ["Authorization: Bearer " + tok])

    bench.run_wrk, bench.run_ab_head = run_wrk, run_ab_head

    # 3. the table says how auth was done
    orig_render = bench.render

    def render(res):
        sides = []
        for role in ("candidate", "baseline"):
            ch = tokens.challenges.get(res[role].rstrip("/"), {})
            sides.append("%s service=%s" % (role, ch.get("service", "?")))
        res["auth"] = {"user": name, "challenges": tokens.challenges, "wrk_tokens_fetched": tokens.fetched,
                       "token_lifetimes_s": sorted(tokens.lifetimes)}
        life = "/".join("%.0f" % x for x in sorted(tokens.lifetimes)) or "?"
        head = ("auth: Bearer tokens for user %s from %s; %s; token lifetime %s s; wrk/ab tokens fetched: %d"
                % (name, ", ".join(sorted({c.get("realm", "?") for c in tokens.challenges.values()})),
                   ", ".join(sides), life, tokens.fetched))
        return head + "\n" + orig_render(res)

    bench.render = render

    # both registries must be in token mode before anything runs
    for url in [x for x in rest if x.startswith(("http://", "https://"))][:2]:
        tokens.challenge(url.rstrip("/"))

    sys.argv = [os.path.join(BENCH_DIR, "bench.py")] + rest + ["--only", only]
    bench.main()


if __name__ == "__main__":
    main()
