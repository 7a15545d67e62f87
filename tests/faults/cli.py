"""``boilerclean`` with the test-only stages registered: ``python -m tests.faults.cli run CONFIG ...``."""

import sys

from boilerclean.flows.cli import main
from tests.faults.stages import register

if __name__ == "__main__":
    register()
    sys.exit(main())
