"""Scanner drivers: a narrow interface (base.py), SANE (sane_driver.py) and file import (files.py, pdf_import.py)."""

from scanning.drivers.base import ScanDriver

__all__ = ["ScanDriver"]
