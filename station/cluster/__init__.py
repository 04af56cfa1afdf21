"""Batch digitization across machines on Celery + Redis: `station worker` does pages, `station process --cluster`
sends them and assembles the output exactly as the local pool would.

Only `station.cluster.app` imports Celery (it has no type hints); the rest is plain, typed code:
`config.py` (the broker URL, masked for logs, and every Celery setting the reliability rests on), `codec.py`
(options and page results as data, never pickles), `work.py` (what a worker does with one page message),
`dispatch.py` (the coordinator: pages out, results back in input order), `status.py` (`station cluster status`).
"""
