import sys

from screening_cli.cli import main

sys.exit(main())
