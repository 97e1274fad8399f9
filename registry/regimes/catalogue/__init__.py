"""One module a regime: each builds a `Regime` and registers it."""
