"""`python -m annotator` runs the same command line as the `annotator` script."""

import sys

from annotator.cli import main

sys.exit(main())
