"""The API contract, judged by independent programs.

    python tests/py/check_contract.py RAPPORT_BIN WORK_DIR [SECONDS]

Starts RAPPORT_BIN (`rapport serve`) on a fresh SQLite database in WORK_DIR filled with the
small demo organisation, then:

1. openapi-spec-validator checks /api/v1/openapi.json against the OpenAPI specification;
2. schemathesis (`--checks all`) fuzzes every operation for about SECONDS seconds (default
   150) as three people: the admin, and two teammates in different teams who must not see
   each other's objects (the object-level authorization check).

Exits non-zero on any validator error or schemathesis failure. Everything it writes (the
database, the server's log, the schemathesis configuration and reports) stays in WORK_DIR.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))

# Operations the run must not call, because they would end the run's own access: revoking a
# token (schemathesis finds the ids of its own tokens in GET /tokens) and signing out
# everywhere (which revokes every token of the caller).
EXCLUDED_OPERATIONS = ["revoke_token", "sign_out_everywhere"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rapport(binary, env, *args):
    out = subprocess.run([binary, *args], env=env, check=True, capture_output=True, text=True)
    return out.stdout


def get_json(url, token=None):
    req = urllib.request.Request(url)
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.load(r)


def main():
    # Stopped from outside (a time limit, Ctrl-C): still stop the server it started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    binary, work = sys.argv[1], sys.argv[2]
    seconds = int(sys.argv[3]) if len(sys.argv) > 3 else 150
    python_bin = os.path.dirname(sys.executable)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ)
    for k in list(env):
        if k.startswith("RAPPORT_"):
            del env[k]
    env.update(
        RAPPORT_DATA_DIR=os.path.join(work, "data"),
        RAPPORT_BIND=f"127.0.0.1:{port}",
        RAPPORT_LOG="warn",
    )

    demo = rapport(binary, env, "demo")
    emails = [w.strip() for line in demo.splitlines() for w in line.split() if "@" in w]
    admin_email = emails[0]
    admin_token = rapport(binary, env, "token", "create", "--email", admin_email, "--name", "contract").strip()

    log = open(os.path.join(work, "server.log"), "w")
    server = subprocess.Popen([binary, "serve"], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise SystemExit("rapport did not start; see server.log")

        # Two teammates with different managers and no reports: neither may read the other's
        # objects.
        people = get_json(f"{base}/api/v1/people?per_page=200", admin_token)["people"]
        managers = {p["manager_id"] for p in people}
        leaves = [p for p in people if p["id"] not in managers and p["manager_id"] and not p["is_admin"]]
        first = leaves[0]
        second = next(p for p in leaves if p["manager_id"] != first["manager_id"])
        peers = [
            rapport(binary, env, "token", "create", "--email", p["email"], "--name", "contract").strip()
            for p in (first, second)
        ]

        schema_url = f"{base}/api/v1/openapi.json"
        spec = get_json(schema_url)
        with open(os.path.join(work, "openapi.json"), "w") as f:
            json.dump(spec, f, indent=1)
        validator = subprocess.run(
            [os.path.join(python_bin, "openapi-spec-validator"), os.path.join(work, "openapi.json")]
        )
        if validator.returncode != 0:
            print("check_contract: openapi-spec-validator found errors", file=sys.stderr)
            return 1

        auth = {
            "auth": [
                {"name": "admin", "fixedHeaders": [{"name": "Authorization", "value": f"Bearer {admin_token}"}]},
                {"name": "alice", "fixedHeaders": [{"name": "Authorization", "value": f"Bearer {peers[0]}"}]},
                {"name": "bob", "fixedHeaders": [{"name": "Authorization", "value": f"Bearer {peers[1]}"}]},
            ]
        }
        with open(os.path.join(work, "auth.json"), "w") as f:
            json.dump(auth, f)
        with open(os.path.join(work, "schemathesis.toml"), "w") as f:
            f.write(
                "[auth]\n"
                "auto-signup = false\n"
                "[auth.wfc]\n"
                f'path = "{os.path.join(work, "auth.json")}"\n'
                'peers = ["alice", "bob"]\n'
                # A 422 on a schema-valid request is how rapport refuses what depends on the
                # state the request meets, not on its shape: a person who is already someone's
                # manager, a program not started yet, an e-mail address already taken, a
                # rating given by the manager rather than the teammate. No schema can state
                # these, so positive_data_acceptance counts a 422 (with its fields) as an
                # answer, like the 404 and 409 it already counts. Everything else it checks.
                "[checks.positive_data_acceptance]\n"
                'expected-statuses = ["2XX", "3XX", "401", "403", "404", "409", "422", "429", "5XX"]\n'
                # Stateful links feed a nullable id (`series_id: null` in GET /strategy/reach,
                # a session's `meeting_id: null` in GET /series/{id}/program) into
                # /series/{id}/… and /meetings/{id}/… as the text "None", which is not a uuid
                # and is refused with a 400; schemathesis still counts it as valid data. Only
                # there, a 400 is an answer too.
                "[[operations]]\n"
                'include-path-regex = "^/api/v1/(series|meetings)/\\\\{id\\\\}"\n'
                "[operations.checks.positive_data_acceptance]\n"
                'expected-statuses = ["2XX", "3XX", "400", "401", "403", "404", "409", "422", "429", "5XX"]\n'
            )
        cmd = [
            os.path.join(python_bin, "st"),
            "--config-file",
            os.path.join(work, "schemathesis.toml"),
            "run",
            schema_url,
            "--url",
            base,
            "--checks",
            "all",
            "--max-time",
            str(seconds),
            "--workers",
            "2",
            "--seed",
            "1",
            "--generation-database",
            "none",
            "--report",
            "junit",
            "--report-dir",
            os.path.join(work, "report"),
            "--no-color",
        ]
        for op in EXCLUDED_OPERATIONS:
            cmd += ["--exclude-operation-id", op]
        print("+", " ".join(cmd), flush=True)
        st = subprocess.run(cmd, cwd=work)
        if st.returncode != 0:
            print(f"check_contract: schemathesis reported failures (exit {st.returncode})", file=sys.stderr)
            return 1
        return 0
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


if __name__ == "__main__":
    sys.exit(main())
