import sys

from harmonize.cli import main

sys.exit(main())
