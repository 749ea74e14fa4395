"""What every command line shares (the ``interlude`` command and each service's ``cli.py``):
the user-facing error and the settings, loaded with logging configured."""
from __future__ import annotations

import os

from interlude import logging as interlude_logging
from interlude import settings as settings_module


class CliError(Exception):
    """A user-facing error: printed as one line, exit status 2."""


def load_settings(port: int | None = None, host: str | None = None):
    env = dict(os.environ)
    if port is not None:
        env[settings_module.PREFIX + "HTTP_PORT"] = str(port)
    if host is not None:
        env[settings_module.PREFIX + "HTTP_HOST"] = host
    settings = settings_module.load(env)
    interlude_logging.configure(settings.log_format, settings.log_level)
    return settings
