-- An API key may be limited to some adapters (names, or prefixes ending in *) for inference through the gateway.
alter table api_key add column adapters text;
