"""The transactional store: SQLAlchemy 2 Core over SQLite (default) or PostgreSQL, plus an
in-memory twin for backtests and tests. Both pass tests/contract/test_transactional_store.py.

Modules: ``types`` (``ExactDecimal``), ``tables`` (the one ``MetaData``), ``engine`` (URL ->
configured ``Engine``), ``migrations`` (Alembic, run programmatically), ``rows`` (row <->
record mapping, upserts), ``repositories`` and ``platform_repositories`` (queries),
``unit_of_work`` (``SqlUnitOfWork``), ``errors`` (``StoreError``), ``platform`` (users, audit
log, configuration, feature flags: records and ports that belong to no bounded context),
``checks`` (rules both stores share), ``memory`` / ``memory_state`` / ``memory_repositories``
(``InMemoryStore``). Importing this package imports nothing else, and the ``memory`` modules
need no SQLAlchemy.
"""
