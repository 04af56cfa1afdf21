"""The dossier-output contract shared by the counter (`workflow/finish.py`) and the batch (`batch/runner.py`):
one document-type rule (`doctype`), one typed manifest and its one durable writer (`manifest`)."""
