"""Keep deepeval offline and out of the repository; call before deepeval is first imported.

deepeval reads these at import time: ``DEEPEVAL_TELEMETRY_OPT_OUT=1`` (no PostHog events),
``DEEPEVAL_DISABLE_DOTENV=1`` (it would otherwise load ``.env``, ``.env.<APP_ENV>`` and
``.env.local`` of the current folder into the environment), ``DEEPEVAL_UPDATE_WARNING_OPT_IN=0``
(no PyPI version check). Its ``.deepeval`` folder (test-run files, caches: the current folder
by default) and its home (``~/.deepeval``: telemetry id) go to the temporary directory unless
``DEEPEVAL_CACHE_FOLDER`` / ``DEEPEVAL_HOME`` are already set.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def offline_deepeval() -> None:
    """Set deepeval's environment so it neither phones home nor writes into the repository."""
    os.environ["DEEPEVAL_TELEMETRY_OPT_OUT"] = "1"
    os.environ["DEEPEVAL_DISABLE_DOTENV"] = "1"
    os.environ["DEEPEVAL_UPDATE_WARNING_OPT_IN"] = "0"
    scratch = Path(tempfile.gettempdir()) / f"decom-deepeval-{os.getuid()}"
    os.environ.setdefault("DEEPEVAL_CACHE_FOLDER", str(scratch / "cache"))
    os.environ.setdefault("DEEPEVAL_HOME", str(scratch / "home"))
