"""The counter's dossier workflow without Qt: which driver scans, which profile applies, the dossier looked up on
the backend, the ID card checked against its applicant, the finished dossier built and queued, and the
lifetimes of the outbox, the sender and the station journal. The window (station/ui) drives it and shows its
events; tests drive it directly."""
