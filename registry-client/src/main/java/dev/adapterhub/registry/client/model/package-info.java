/**
 * The registry's request and answer bodies as records (schema names of the OpenAPI document where one exists).
 * Answers keep only the fields a client reads; unknown fields are ignored, so the registry may add fields without
 * breaking a deployed client. Enumerations the registry may extend (states, methods) are plain strings for the
 * same reason. Catalogue ids are strings (clients use them as opaque keys); training-job ids and lease tokens are
 * UUIDs because they go back into request paths and bodies.
 */
package dev.adapterhub.registry.client.model;
