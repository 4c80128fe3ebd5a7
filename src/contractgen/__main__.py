"""The ``contractgen`` command: the console script, and ``python -m contractgen``.

Importing the command line allocates only what lives as long as the process (modules,
classes, compiled patterns), and Python's collector would scan it again and again while
it grows (about 5 ms of every command's start-up). So it is imported with the collector
off, and then frozen (:func:`gc.freeze`: never scanned again, and pages a forked batch
worker shares with this process are not copied by a collection here). Code that imports
:mod:`contractgen.cli` itself (tests, notebooks) keeps its collector as it was.
"""

from __future__ import annotations

import gc


def main():
    enabled = gc.isenabled()
    gc.disable()
    try:
        from . import cli
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
    cli.FREEZE_IMPORTS = True  # and what each command imports (cli._loading)
    return cli.main()


if __name__ == "__main__":
    main()
