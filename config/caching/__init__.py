"""Caching, in one place: what makes a cached figure or page safe to serve.

- `generation`: the data generation, a token every cache key carries and every
  committed write moves, and the keys and helpers built on it (`figures_key`,
  `cached_figures`);
- `querysets`: `ChangeTrackingQuerySet`, which moves the generation on bulk
  writes (they send no signals);
- `signals`: the receivers that move it on saves and deletes, and
  `track_changes()`, through which each app names the models its cached pages show;
- `pages`: whole pages per user (`cached_page`);
- `redis_backend`: Django's Redis cache with one client per connection pool.

It knows no model of ours: the apps sit above it (see docs/ARCHITECTURE.md and
the import-linter contracts in pyproject.toml).
"""
