/** Keyhaven's composition root: configuration, wiring, the server process. */
package org.keyhaven.server;
