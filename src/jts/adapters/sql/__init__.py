"""The transactional store: SQLAlchemy 2 Core over SQLite (default) or PostgreSQL, plus an
in-memory twin for backtests and tests.

Modules: ``types`` (exact decimals), ``tables`` (the one ``MetaData``), ``engine`` (URL ->
configured ``Engine``), ``migrations`` (Alembic, run programmatically), ``repositories`` and
``platform_repositories`` (row <-> record mappers and queries), ``unit_of_work``
(``SqlUnitOfWork``), ``platform`` (users, audit log, configuration, feature flags: records and
ports with no bounded context), ``memory`` (``InMemoryStore`` / ``InMemoryUnitOfWork``).
Importing this package imports nothing else, so the in-memory store needs no SQLAlchemy.
"""
