"""`python -m annotator` runs the same command line as the `annotator` script."""

import sys

from annotator.cli import main

if getattr(sys, "frozen", False):
    # The agreement report compares a large project in worker processes; in the packaged
    # app (PyInstaller) each worker starts this same program, which must then run the
    # worker. (Not imported otherwise: it would only slow the start.)
    import multiprocessing

    multiprocessing.freeze_support()
sys.exit(main())
