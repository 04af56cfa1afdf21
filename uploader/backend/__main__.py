import sys

from uploader.backend.server import main

sys.exit(main())
