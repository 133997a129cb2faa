"""The HTTP API: POST /api/check (FORMATS.md), token authentication, OpenAPI (to be built by its owner)."""
