"""The offline demo: the saved fixture sites served on 127.0.0.1 and crawled.

``sites`` serves ``fixtures/sites/<id>/public`` over real HTTP (the tests use
it too); ``run`` crawls them into an archive with the update run, which the
command line then serves.

Imports the update run and storage; never imports fetching, discovery,
extraction or serving directly. Only the command line and the tests import it.
"""
