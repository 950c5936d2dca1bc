"""Logging for long-running commands: our lines under the `foedus` logger at the operator's level, others quiet.

Some libraries configure the root logger themselves (pyLODE calls logging.basicConfig(level=DEBUG) on import,
so asyncio's and its own DEBUG/INFO lines reached the server log). `configure` replaces the root set-up: one
handler, third-party libraries at WARNING and above, and the `foedus` loggers at the `log_level` setting.
"""

from __future__ import annotations

import logging

from foedus.errors import ConfigError

LEVELS = ("debug", "info", "warning", "error")
FORMAT = "[%(asctime)s] [%(process)d] [%(levelname)s] %(name)s: %(message)s"
DATE = "%Y-%m-%d %H:%M:%S %z"  # as gunicorn's own lines, which share the log


def level_number(name: str) -> int:
    """The logging level for a `log_level` value; ConfigError naming the setting if it is none of LEVELS."""
    if str(name).lower() not in LEVELS:
        raise ConfigError(f"setting 'log_level' must be one of {', '.join(LEVELS)}, got {name!r}",
                          where="log_level")
    return int(logging.getLevelName(str(name).upper()))


def configure(level: str) -> None:
    """Send log lines to stderr: `foedus.*` at `level`, everything else at WARNING or above."""
    logging.basicConfig(level=logging.WARNING, format=FORMAT, datefmt=DATE, force=True)
    logging.getLogger("foedus").setLevel(level_number(level))


def logger(name: str) -> logging.Logger:
    """The logger of one of our modules: `foedus.<name without the foedus. prefix>`."""
    return logging.getLogger("foedus." + name.removeprefix("foedus."))
