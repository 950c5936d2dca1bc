"""A throwaway Virtuoso configuration on loopback: what the remote-store tests and the benchmarks start.

Debian's virtuoso-opensource reads everything from one ini file; this writes one that keeps the database in a
directory of its own and listens only on 127.0.0.1, so an operator can also use it to try `foedus publish`.
"""

from __future__ import annotations

from pathlib import Path

_INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
Striping = 0
[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
CaseMode = 2
DirsAllowed = ., {d}
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = /var/lib/virtuoso-opensource-7/vsp
ServerThreads = 16
MaxKeepAlives = 16
KeepAliveTimeout = 10
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60
MaxQueryCostEstimationTime = 0
"""


def write_virtuoso_ini(home: Path, *, sql_port: int, http_port: int, buffers: int = 10000) -> Path:
    """Write home/virtuoso.ini for a Virtuoso on 127.0.0.1 (SQL and HTTP ports given) and return its path."""
    path = home / "virtuoso.ini"
    text = _INI.format(d=home, sql=sql_port, http=http_port, buffers=buffers, dirty=buffers * 3 // 4)
    path.write_text(text, encoding="utf-8")
    return path
