"""Page cleanup and quality: pure functions on page images (numpy arrays), no I/O.

`pipeline.clean_page(page, cfg)` runs them in order: crop borders -> orientation -> deskew -> blank ->
quality. Each step is also usable alone (`crop.crop_borders`, `orientation.detect_orientation`,
`deskew.deskew`, `blank.detect_blank`, `quality.assess_quality`).
"""
