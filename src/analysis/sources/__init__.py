"""Everything that reads a raw source or writes ``data/``: the first stretch of the data's path.

Modules, in the order they may import each other: ``meta`` (the provenance files ``data/sources/<label>.json``),
``untc`` (UNTC status pages), ``unoda`` (UNODA 2018 harvest and 2026 timeline), ``icrc`` (ICRC spreadsheet),
``merge`` (the precedence rule and the conflicts register), ``snapshots`` (diff and download of status pages)
and ``build`` (the only writer of ``data/``). None imports ``dataset`` or anything after it.
"""
