"""Alembic migrations of the SQL storage, shipped as package data.

They run from code (:func:`insertion_core.default_plugins.sql.migrate.upgrade`,
called by ``Storage.initialise()``); users need no ``alembic.ini``. A new
revision goes in ``versions/``, named ``NNNN_what.py``, and the test
``tests/storage/test_migrations.py`` fails until the models and the
migrations agree.
"""
