"""Backend contract, reference backend, durable outbox and HTTP client. Never imports Qt.

- ``uploader/openapi.yaml``: the contract (OpenAPI 3.1) integrators implement.
- :mod:`uploader.backend`: the reference backend (``station backend``).
- :mod:`uploader.manifest`: reads `station process` output folders into :class:`~uploader.models.UploadJob`.
- :mod:`uploader.outbox`: the durable SQLite (WAL) queue; :mod:`uploader.sender`: the background sender
  (``Sender.start()`` / ``stop()`` / ``wake()`` / ``status()``, ``on_status`` callback; the GUI hosts it).
- :mod:`uploader.client`: the HTTP client; :mod:`uploader.retention`: purge of confirmed local copies.
- :mod:`uploader.review_rules` / :mod:`uploader.review_stats`: the supervisor review rules (states, filters,
  the review queue and its seeded sample, the statistics), pure, shared by the station and the backend.
- :mod:`uploader.errors`: the package's typed errors (base :class:`~uploader.errors.UploaderError`).
- :mod:`uploader.private`: 0700 folders / 0600 files for the queue and the backend's store, whatever the umask.
- :mod:`uploader.backend.auth` / :mod:`uploader.backend.limits`: the backend's roles (station tokens bound to
  a station, supervisor, admin) and its size limits, checked before any body is parsed.
"""
