"""Entry points: the ``jts`` CLI, the API gateway and the service workers."""
