"""Page states of mediation (调解) and 议事: one module per page or page group. Thin: every
handler runs a service through ``AppState._run`` and keeps only view rows worded for the reader."""
