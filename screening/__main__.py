import sys

from .files.cli import main

sys.exit(main())
