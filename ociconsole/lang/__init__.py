"""Languages the console and the emulator both read: pure-Python syntax (tokens, parser,
syntax tree, error messages with columns), no evaluation.

This package imports nothing else of ociconsole (an import-linter contract in pyproject.toml),
so the emulator, which stands alone, and the catalog, which may not import the emulator, share
one parser and so refuse the same queries with the same message at the same column.

- `mql`: the Monitoring Query Language (alarm and chart queries).
"""
