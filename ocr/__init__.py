"""Recognition: OCR, barcodes, separator sheets, dossier codes, citizen ID cards. Never imports Qt."""
