"""Start N Streamlit replicas of the lab behind nginx on this machine, and stop them cleanly.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/genlab \\
    GENLAB_INSTRUCTOR_PASSCODE='a long passphrase' \\
        .venv/bin/python -m deploy.replicas --replicas 2 --port 8600

Every replica shares the database (``DATABASE_URL``), the data directory (``--data-dir``) and one
cookie secret, so a learner can be served by any of them; nginx keeps each browser on one replica
(sticky cookie) because a Streamlit session and its media live in one process. The schema is
migrated once here before the replicas start, so they never race to create tables.

Cloud keys (``AZURE_OPENAI_*``, ``OPENAI_*``) in this shell reach the replicas, so the studio's cloud
backends work there as on one server; ``--without-cloud-keys`` leaves them out, and the command says
which names it passed (never their values). Keys in ``.streamlit/secrets.toml`` are read by every
replica either way. Tests and the classroom benchmark call :func:`start_cluster` with
``cloud_keys=False``: a developer's own keys must never be spent by a load test.

Ctrl-C (or SIGTERM) stops nginx and the replicas and waits for them. Tests and the classroom
benchmark use :func:`start_cluster` and :meth:`Cluster.stop` directly.
"""

import argparse
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).resolve().parent / "nginx.conf.template"
NGINX_CANDIDATES = ("nginx", "/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx")
#: Environment variables of the cloud image services (see genlab.settings.ENV_VARS).
CLOUD_KEY_PREFIXES = ("AZURE_OPENAI_", "OPENAI_")


class DeployError(RuntimeError):
    """The cluster cannot start; the message says what is missing."""


def find_nginx() -> str | None:
    for candidate in NGINX_CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    return None


def cloud_key_names(environment: Mapping[str, str]) -> list[str]:
    """The cloud-service variables set in ``environment``, sorted (names only: values are secrets)."""
    return sorted(k for k, v in environment.items() if k.startswith(CLOUD_KEY_PREFIXES) and v)


def replica_environment(base: Mapping[str, str], database_url: str, data_dir: Path, *, cloud_keys: bool,
                        extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment every replica starts with: ``base`` (this shell), the shared database and data
    directory, and ``extra``; without the cloud keys unless ``cloud_keys``."""
    environment = {k: v for k, v in base.items() if cloud_keys or not k.startswith(CLOUD_KEY_PREFIXES)}
    environment |= {"DATABASE_URL": database_url, "GENLAB_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1",
                    # Streamlit's default runs a full gc.collect(2) after EVERY script run, fragment
                    # auto-reruns included: ~60-120 ms of CPU each with this app's heap, which caps a
                    # replica at a few dozen live learners. Python's own generational GC still runs.
                    "STREAMLIT_RUNNER_POST_SCRIPT_GC": "false"}
    return environment | dict(extra or {})


def render_nginx_conf(listen: str, replica_ports: list[int], run_dir: Path) -> str:
    servers = "\n".join(f"        server 127.0.0.1:{port} max_fails=3 fail_timeout=10s;" for port in replica_ports)
    return (TEMPLATE.read_text().replace("@@LISTEN@@", listen).replace("@@SERVERS@@", servers)
            .replace("@@RUN_DIR@@", str(run_dir)))


def _wait_http(url: str, process: subprocess.Popen, what: str, timeout: float, expect: bytes | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise DeployError(f"{what} exited with code {process.returncode} while starting; see its log.")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if expect is None or response.read().strip() == expect:
                    return
        except OSError:
            time.sleep(0.1)
    raise DeployError(f"{what} did not answer {url} within {timeout:.0f} s.")


def _stop(process: subprocess.Popen, sig: int = signal.SIGTERM, timeout: float = 10) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(5)


@dataclass
class Cluster:
    """Running replicas and their nginx. ``url`` is what browsers open."""

    url: str
    replica_urls: list[str]
    replicas: list[subprocess.Popen]
    nginx: subprocess.Popen
    run_dir: Path
    logs: list[Path] = field(default_factory=list)

    @property
    def replica_pids(self) -> list[int]:
        return [p.pid for p in self.replicas]

    def stop(self) -> None:
        """nginx first (no new requests), then every replica; waits for each to exit."""
        _stop(self.nginx)  # TERM: fast shutdown (a graceful QUIT would wait for every open websocket)
        for process in self.replicas:
            _stop(process)

    def __enter__(self) -> "Cluster":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def migrate_once(database_url: str) -> None:
    """Bring the schema up to date before any replica starts (replicas then find nothing to do)."""
    sys.path.insert(0, str(ROOT))
    from genlab.settings import Settings
    from genlab.store import Store

    store = Store.from_settings(Settings(database_url=database_url))
    store.engine.dispose()


def start_cluster(database_url: str, data_dir: Path, *, cloud_keys: bool, replicas: int = 2, port: int = 8600,
                  replica_ports: list[int] | None = None, run_dir: Path | None = None,
                  env: dict[str, str] | None = None, timeout: float = 60) -> Cluster:
    """Migrate, start ``replicas`` Streamlit processes on loopback and nginx on ``port``; wait until healthy.

    Replicas listen on ``replica_ports`` (default: the ports after ``port``). ``cloud_keys``: whether
    this process's ``AZURE_OPENAI_*`` and ``OPENAI_*`` variables reach them (a required choice, so no
    caller spends or drops keys by accident).
    """
    nginx_bin = find_nginx()
    if nginx_bin is None:
        raise DeployError("nginx is not installed (apt-get install -y nginx); the replicas need it in front.")
    run_dir = Path(run_dir or tempfile.mkdtemp(prefix="genlab-replicas-"))
    run_dir.mkdir(parents=True, exist_ok=True)
    data_dir.mkdir(parents=True, exist_ok=True)
    migrate_once(database_url)
    ports = list(replica_ports or [port + 1 + i for i in range(replicas)])
    environment = replica_environment(os.environ, database_url, data_dir, cloud_keys=cloud_keys, extra=env)
    cookie_secret = secrets.token_urlsafe(32)  # one secret for all replicas: signed cookies verify anywhere
    processes: list[subprocess.Popen] = []
    logs: list[Path] = []
    try:
        for i, replica_port in enumerate(ports):
            log = run_dir / f"replica-{i + 1}.log"
            logs.append(log)
            processes.append(subprocess.Popen(
                [sys.executable, "-m", "ui.serve",  # streamlit run app.py, warmed up at start (ui/warmup.py)
                 "--server.port", str(replica_port), "--server.address", "127.0.0.1",
                 "--server.headless", "true", "--browser.gatherUsageStats", "false"],
                cwd=ROOT, env=environment | {"STREAMLIT_SERVER_COOKIE_SECRET": cookie_secret},
                stdout=log.open("wb"), stderr=subprocess.STDOUT,
                start_new_session=True))
        conf = run_dir / "nginx.conf"
        conf.write_text(render_nginx_conf(f"127.0.0.1:{port}", ports, run_dir))
        nginx = subprocess.Popen([nginx_bin, "-p", str(run_dir), "-c", str(conf), "-g", "daemon off;"],
                                 cwd=run_dir, stdout=subprocess.DEVNULL, stderr=(run_dir / "nginx.out").open("wb"),
                                 start_new_session=True)
    except BaseException:
        for process in processes:
            _stop(process)
        raise
    cluster = Cluster(f"http://127.0.0.1:{port}", [f"http://127.0.0.1:{p}" for p in ports], processes, nginx,
                      run_dir, logs)
    try:
        for url, process in zip(cluster.replica_urls, processes, strict=True):
            _wait_http(f"{url}/_stcore/health", process, f"The replica at {url}", timeout, b"ok")
        _wait_http(f"{cluster.url}/_stcore/health", nginx, "nginx", timeout, b"ok")
    except BaseException:
        cluster.stop()
        raise
    return cluster


def cloud_keys_sentence(environment: Mapping[str, str], *, passed: bool) -> str:
    """What happens to this shell's cloud keys, by name, for the operator starting the replicas."""
    names = cloud_key_names(environment)
    if not names:
        return "No AZURE_OPENAI_* or OPENAI_* variables are set in this shell, so none are passed to the replicas."
    listed = ", ".join(names)
    if passed:
        return f"Passing {listed} to the replicas (use --without-cloud-keys to leave them out)."
    return f"Leaving out {listed}: the replicas will not use these cloud keys."


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--port", type=int, default=8600, help="nginx listens on 127.0.0.1:PORT")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"),
                        help="shared database (default: $DATABASE_URL); use PostgreSQL")
    parser.add_argument("--data-dir", type=Path, default=Path(os.environ.get("GENLAB_DATA_DIR", ROOT / "data")))
    parser.add_argument("--run-dir", type=Path, default=None, help="nginx config, pid and logs (default: a temp dir)")
    parser.add_argument("--without-cloud-keys", action="store_true",
                        help="do not pass AZURE_OPENAI_* and OPENAI_* from this shell to the replicas")
    args = parser.parse_args(argv)
    if not args.database_url:
        parser.error("set DATABASE_URL (or --database-url) to the PostgreSQL database all replicas share")
    if args.database_url.startswith("sqlite"):
        print("Note: SQLite works only while every replica runs on this one machine; use PostgreSQL for a school.",
              file=sys.stderr)
    print(cloud_keys_sentence(os.environ, passed=not args.without_cloud_keys), file=sys.stderr)
    try:
        cluster = start_cluster(args.database_url, args.data_dir, cloud_keys=not args.without_cloud_keys,
                                replicas=args.replicas, port=args.port, run_dir=args.run_dir)
    except DeployError as exc:
        print(exc, file=sys.stderr)
        return 1
    stop = False

    def _request_stop(*_args: object) -> None:
        nonlocal stop
        stop = True

    signal.signal(signal.SIGINT, _request_stop)
    signal.signal(signal.SIGTERM, _request_stop)
    print(f"Open {cluster.url}  (replicas: {', '.join(cluster.replica_urls)}; logs in {cluster.run_dir}). "
          "Ctrl-C stops everything.", flush=True)
    try:
        while not stop:
            if cluster.nginx.poll() is not None or any(p.poll() is not None for p in cluster.replicas):
                print("A process exited unexpectedly; stopping the rest.", file=sys.stderr)
                break
            time.sleep(0.5)
    finally:
        cluster.stop()
    print("Stopped.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
