/**
 * The {@code keyhaven} command line (picocli): {@code serve}, offline commands that use the domain
 * libraries directly, and admin commands that are clients of the REST API.
 */
package org.keyhaven.server.cli;
