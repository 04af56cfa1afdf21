"""One module per CLI subcommand. Each exposes `register(subparsers)` and a `run(args) -> int`."""
