"""Backend contract, reference backend, durable outbox and HTTP client. Never imports Qt."""
