"""Page states of the classes (课堂): one module per page. Thin: each handler calls a classes
service through ``AppState._run`` and keeps small rows with the texts already worded."""
