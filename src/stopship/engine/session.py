"""Starting Spark for stopship: checks that PySpark and Java are there, binds a local run to
127.0.0.1 with this interpreter as the Python of the workers, and keeps Spark's logs quiet."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import warnings
from pathlib import Path
from typing import Any

from stopship.errors import EngineUnavailableError

DEFAULT_MASTER = "local[*]"

_LOG4J = """\
rootLogger.level = error
rootLogger.appenderRef.stderr.ref = stderr
appender.stderr.type = Console
appender.stderr.name = stderr
appender.stderr.target = SYSTEM_ERR
appender.stderr.layout.type = PatternLayout
appender.stderr.layout.pattern = spark %p %c{1}: %m%n
logger.spark.name = org.apache.spark
logger.spark.level = error
"""


def require_spark() -> None:
    """Raise :class:`EngineUnavailableError` unless PySpark, pyarrow, pandas and Java are
    installed."""
    missing = []
    for module in ("pyspark", "pyarrow", "pandas"):
        try:
            __import__(module)
        except ImportError:
            missing.append(module)
    if missing:
        raise EngineUnavailableError(
            f"the Spark engine needs {', '.join(missing)}: pip install 'stopship[spark]'"
        )
    java_home = os.environ.get("JAVA_HOME")
    java = Path(java_home) / "bin" / "java" if java_home else None
    if not (java is not None and java.is_file()) and shutil.which("java") is None:
        raise EngineUnavailableError(
            "the Spark engine needs Java (17 or later): no `java` on PATH and no JAVA_HOME "
            "(Debian: apt-get install default-jre-headless)"
        )


def _log_config() -> str:
    path = Path(tempfile.gettempdir()) / "stopship-spark-log4j2.properties"
    if not path.is_file() or path.read_text() != _LOG4J:
        path.write_text(_LOG4J)
    return str(path)


def is_local(master: str) -> bool:
    return master.startswith("local")


def spark_session(master: str = DEFAULT_MASTER, app: str = "stopship") -> Any:
    """A SparkSession for ``master`` (``local[N]``, ``local[*]``, ``spark://host:7077``,
    ``yarn``, ``k8s://...``). An already running session is reused as it is."""
    require_spark()
    warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas")
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    builder = (
        SparkSession.builder.master(master)
        .appName(app)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile={_log_config()}")
    )
    # the driver JVM starts before any builder option applies: its log set-up goes here
    os.environ.setdefault(
        "PYSPARK_SUBMIT_ARGS",
        f"--driver-java-options -Dlog4j2.configurationFile={_log_config()} pyspark-shell",
    )
    if is_local(master):
        # workers run this very interpreter (the venv with stopship), on loopback only
        os.environ["PYSPARK_PYTHON"] = sys.executable
        os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        builder = (
            builder.config("spark.pyspark.python", sys.executable)
            .config("spark.pyspark.driver.python", sys.executable)
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            # local mode: the driver JVM is also the executor
            .config("spark.driver.memory", os.environ.get("STOPSHIP_SPARK_DRIVER_MEMORY", "4g"))
        )
    try:
        spark = builder.getOrCreate()
    except Exception as exc:  # the JVM did not start (no Java, bad master URL, ...)
        raise EngineUnavailableError(f"Spark did not start (master {master}): {exc}") from exc
    spark.sparkContext.setLogLevel("ERROR")
    return spark
