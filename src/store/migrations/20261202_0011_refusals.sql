-- Requests refused before authentication (no or a wrong session or token), counted per source
-- (the client address) and minute instead of one audit row each; a source over the limit gets 429.
-- Shared by every server process on the same database.
CREATE TABLE refused_requests (
  source        text NOT NULL,
  window_start  timestamptz NOT NULL,
  count         integer NOT NULL,
  PRIMARY KEY (source, window_start)
);
CREATE INDEX refused_requests_window ON refused_requests (window_start);
