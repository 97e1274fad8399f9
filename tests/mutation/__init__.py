"""Mutation testing as a measure of the suite's strength (`make mutation`)."""
