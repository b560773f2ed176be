"""The client's data side: everything a specialist's app and shell commands stand on.

- `service`, `worklog`: the one door between the screens (and commands) and the data; they hand
  out frozen typed read models and take commands.
- `cache/`: the local SQLite cache, the only client code that speaks SQL.
- `sync/`: the only client code that speaks HTTP (protocol, page pipeline, parser).
- `config`: the user's settings; `exports`, `import_apply`, `unit_search`, `summary_table`: the
  client's halves of export, import, in-memory filtering and the summary.
"""
