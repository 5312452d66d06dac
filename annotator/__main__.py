"""`python -m annotator` runs the same command line as the `annotator` script."""

import multiprocessing
import sys

from annotator.cli import main

# The agreement report compares a large project in worker processes; in the packaged app
# (PyInstaller) each worker starts this same program, which must then run the worker.
multiprocessing.freeze_support()
sys.exit(main())
