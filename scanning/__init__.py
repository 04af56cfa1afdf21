"""Scanner drivers and page image processing. Plain Python: never imports Qt."""
