import sys

from cspdash.cli import main

sys.exit(main())
