"""The Spark path on a real standalone cluster: a master and two workers on loopback.

The cluster is started here from the pyspark package's own launcher (``bin/spark-class``
with Spark's ``deploy.master.Master`` and ``deploy.worker.Worker``; the wheel ships no
``start-master.sh``), each worker with one core, so the query runs in two executors in
other JVMs — not in local mode. The job runs in a child Python process (a fresh driver, not
this process's local session), and its numbers must equal the dossiers counted by hand and
DuckDB's. Small and bounded in time (every wait has a timeout); skipped with a message only
when Java is missing outside CI.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hand_index import hand_index
from ledger_builders import ledger
from test_engines import edge_rows

from cchc.service.engines import duckdb_index
from cchc.service.generator import generate_ledger
from cchc.service.schema import COLUMN_NAMES

pytestmark = [pytest.mark.spark, pytest.mark.spark_cluster]

PERIODS = ["2025", "2025-Q1", "2024-12"]
START_TIMEOUT = 180  # seconds for the master and both workers to be up (a busy 2-CPU machine)
JOB_TIMEOUT = 420  # seconds for the driver's three periods
SRC = Path(__file__).resolve().parents[2] / "src"

DRIVER = """
import json, sys
from pyspark.sql import SparkSession
from cchc.service.engines import compute_index, spark_ledger

master, path, periods = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
spark = (
    SparkSession.builder.master(master)
    .appName("cchc-cluster-test")
    .config("spark.driver.host", "127.0.0.1")
    .config("spark.driver.bindAddress", "127.0.0.1")
    .config("spark.driver.memory", "512m")
    .config("spark.executor.memory", "512m")
    .config("spark.executor.cores", "1")
    .config("spark.cores.max", "2")
    .config("spark.sql.shuffle.partitions", "4")
    .config("spark.ui.enabled", "false")
    .config("spark.sql.session.timeZone", "UTC")
    .getOrCreate()
)
sc = spark.sparkContext
assert sc.master == master, sc.master
# Wait (bounded) until both workers' executors have registered with the driver.
import time
deadline = time.monotonic() + 120
while sc._jsc.sc().getExecutorMemoryStatus().size() - 1 < 2 and time.monotonic() < deadline:
    time.sleep(1)
executors = sc._jsc.sc().getExecutorMemoryStatus().size() - 1  # minus the driver
con = spark_ledger(spark, path)
out = {"master": sc.master, "executors": executors,
       "results": {p: compute_index(con, p).to_dict() for p in periods}}
spark.stop()
print("RESULT " + json.dumps(out))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _java_or_skip() -> None:
    if shutil.which("java") is not None or os.environ.get("JAVA_HOME"):
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail("Java is missing: CI must run the standalone Spark cluster test (install a JRE 17+)")
    pytest.skip("Java (a JRE 17+) is not installed: the standalone Spark cluster cannot start")


def _wait_for(log: Path, text: str, count: int, procs: list[subprocess.Popen[bytes]]) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        body = log.read_text("utf-8", errors="replace") if log.exists() else ""
        if body.count(text) >= count:
            return
        dead = [p.args for p in procs if p.poll() is not None]
        if dead:
            pytest.fail(f"a Spark daemon stopped: {dead}\n{body[-3000:]}")
        time.sleep(1)
    tail = log.read_text("utf-8", errors="replace")[-3000:] if log.exists() else ""
    pytest.fail(f"the standalone cluster did not start in {START_TIMEOUT} s (waiting for {text!r}):\n{tail}")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """spark://127.0.0.1:PORT of a master with two registered one-core workers."""
    _java_or_skip()
    import pyspark

    home = Path(pyspark.__file__).parent
    spark_class = home / "bin" / "spark-class"
    assert spark_class.exists(), f"pyspark ships no {spark_class}"
    work = tmp_path_factory.mktemp("spark-cluster")
    port, ui = _free_port(), _free_port()
    env = {
        **os.environ,
        "SPARK_HOME": str(home),
        "SPARK_LOCAL_IP": "127.0.0.1",
        "SPARK_DAEMON_MEMORY": "256m",
        "SPARK_LOG_DIR": str(work),
        "PYSPARK_PYTHON": sys.executable,
    }
    procs: list[subprocess.Popen[bytes]] = []
    logs: list[IO[bytes]] = []

    def start(name: str, *args: str) -> Path:
        log_path = work / f"{name}.log"
        handle = log_path.open("wb")
        logs.append(handle)
        # A session of its own, so the launcher script and its JVM are stopped together.
        procs.append(subprocess.Popen([str(spark_class), *args], env=env, stdout=handle,
                                      stderr=subprocess.STDOUT, start_new_session=True))  # fmt: skip
        return log_path

    master = f"spark://127.0.0.1:{port}"
    try:
        master_log = start("master", "org.apache.spark.deploy.master.Master",
                           "--host", "127.0.0.1", "--port", str(port), "--webui-port", str(ui))  # fmt: skip
        _wait_for(master_log, "I have been elected leader", 1, procs)
        for n in (1, 2):
            start(f"worker{n}", "org.apache.spark.deploy.worker.Worker", master,
                  "--host", "127.0.0.1", "--cores", "1", "--memory", "600m",
                  "--webui-port", str(_free_port()), "--work-dir", str(work / f"w{n}"))  # fmt: skip
        _wait_for(master_log, "Registering worker", 2, procs)
        yield master
    finally:
        for proc in procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        for handle in logs:
            handle.close()


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, Any]]]:
    generated = generate_ledger(2000, seed=21, start=dt.date(2024, 10, 1), end=dt.date(2025, 12, 31))
    table = pa.concat_tables([generated.select(list(COLUMN_NAMES)).cast(ledger([]).schema), ledger(edge_rows())])
    path = tmp_path_factory.mktemp("cluster-ledger") / "ledger.parquet"
    pq.write_table(table, path)
    return path, table.to_pylist()


def test_a_standalone_cluster_gives_the_numbers_counted_by_hand(cluster, sample):
    path, rows = sample
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]),
           "PYSPARK_PYTHON": sys.executable, "SPARK_LOCAL_IP": "127.0.0.1"}  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-c", DRIVER, cluster, str(path), ",".join(PERIODS)],
        env=env, capture_output=True, text=True, timeout=JOB_TIMEOUT, check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    assert done.returncode == 0 and lines, done.stderr[-4000:]
    out = json.loads(lines[-1].removeprefix("RESULT "))
    assert out["master"] == cluster
    assert out["executors"] == 2  # one per worker: the query ran on the cluster
    for period in PERIODS:
        expected = hand_index(rows, period)
        assert expected["units"], period
        assert out["results"][period] == expected, period
        fast = duckdb_index(path, period)
        assert fast is not None and fast.to_dict() == expected, period
