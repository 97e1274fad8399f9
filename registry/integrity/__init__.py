"""What makes a version checkable without trusting the server.

- `hashing`: the hash schemes (RFC 8785 JCS for every version from this one on,
  the older sorted-key JSON for versions published before), and the `previous`
  link that chains each version to the one before it.
- `chain`: checking a list of versions (from the database or from the API):
  every hash recomputed, every link followed, withdrawn versions skipped.
- `embedded`: the snapshot attached to every PDF as `registry-v{n}.json`, read back.
"""
