"""The readable policy, acknowledgements, school settings and roster (to be built by its owner)."""
