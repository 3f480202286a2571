-- Stream subscription tables (the PubSubStore provider) are now stored with Orleans' serializer instead of
-- System.Text.Json, which could not read them back. Rows in the old format are dropped: they describe
-- subscriptions of frontends that have restarted since, and live frontends subscribe again when a project opens.
DELETE FROM grain_state WHERE provider = 'PubSubStore';
