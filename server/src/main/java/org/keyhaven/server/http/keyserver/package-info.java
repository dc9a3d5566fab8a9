/**
 * Javalin adapters of the keyserver: HKP ({@code /pks/lookup}, {@code /pks/add}) with its own
 * text/plain error answers, and the admin key-removal API. May import the keyserver façade and
 * codec packages, {@code common} and the server's http/auth packages.
 */
package org.keyhaven.server.http.keyserver;
