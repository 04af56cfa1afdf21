"""The dossier-output contract shared by the counter (`workflow/finish.py`) and the batch (`batch/runner.py`):
one document-type rule (`doctype`), one durable manifest writer (`manifest`) of the typed model the uploader
reads back (`uploader.manifest`, validated on both sides against `uploader/schemas/manifest.schema.json`), and
the page data kept between steps (`pagedata`)."""
